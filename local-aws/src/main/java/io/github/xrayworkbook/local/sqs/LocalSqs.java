package io.github.xrayworkbook.local.sqs;

import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ on 127.0.0.1, keeping its queues in memory, with the account and region of the local runs.
 *
 * <p>Chosen for step 7 because it is maintained, speaks SQS's JSON protocol to the AWS SDK v2, runs
 * in-process on the JVM (no Docker), and keeps trace headers as SQS does: a message's
 * {@code AWSTraceHeader} system attribute, or else the {@code X-Amzn-Trace-Id} header of the
 * {@code SendMessage} request (the attribute wins), comes back with the message ("Amazon SQS and
 * AWS X-Ray", xray-services-sqs). Where it differs: a message sent with neither gets a header of
 * ElasticMQ's own, a new root and no parent, which links to nothing (SqsEventSourceTest).
 */
public final class LocalSqs implements AutoCloseable {

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final ActorSystem actors;
    private final SQSRestServer server;
    private final URI endpoint;

    private LocalSqs(ActorSystem actors, SQSRestServer server, int port) {
        this.actors = actors;
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0 picks a free one) and waits until it listens.
     *
     * @throws IllegalStateException if the port is taken, with a message saying what to do
     */
    public static LocalSqs start(int port, String accountId, String region) {
        // An actor system of its own, which this class stops: ElasticMQ leaves running the one it
        // makes for itself when it cannot bind, and its threads would keep the JVM alive.
        // Named after the port asked for, so that its threads say which server they belong to.
        ActorSystem actors = ActorSystem.create("local-sqs-" + (port == 0 ? "any-port" : Integer.toString(port)));
        try {
            // Binding happens in start() or in waitUntilStarted(), depending on timing: both are here.
            SQSRestServer server = (port == 0 ? SQSRestServerBuilder.withDynamicPort() : SQSRestServerBuilder.withPort(port))
                    .withActorSystem(actors).withInterface("127.0.0.1").withAWSAccountId(accountId)
                    .withAWSRegion(region).start();
            return new LocalSqs(actors, server, server.waitUntilStarted().localAddress().getPort());
        } catch (Exception e) {
            terminate(actors);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalStateException("TCP port " + port + " on 127.0.0.1 is in use:"
                        + " stop whatever holds it or choose another port for the local SQS server", e);
            }
            throw new IllegalStateException("The local SQS server did not start: " + e.getMessage(), e);
        }
    }

    /** The value for {@code AWS_ENDPOINT_URL_SQS}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stopAndWait();
        } finally {
            terminate(actors);
        }
    }

    private static void terminate(ActorSystem actors) {
        actors.terminate();
        try {
            actors.getWhenTerminated().toCompletableFuture().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The local SQS server did not stop within " + STOP_WAIT.toSeconds() + " s", e);
        }
    }
}
