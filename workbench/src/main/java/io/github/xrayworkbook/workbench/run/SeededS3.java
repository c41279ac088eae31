package io.github.xrayworkbook.workbench.run;

import io.github.xrayworkbook.local.s3.LocalS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local S3 server of a run, holding the step's bucket and {@code sample_data.json}, started on
 * a background thread. Its address is known at once, so the function's JVM can be launched with
 * it while S3Proxy is still starting; {@link #awaitReady} is called before the first event.
 */
final class SeededS3 implements AutoCloseable {

    private final URI endpoint;
    private final CompletableFuture<LocalS3> server;

    private SeededS3(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.server = CompletableFuture.supplyAsync(() -> {
            LocalS3 s3 = LocalS3.start(port, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY);
            s3.createBucket(Step.LOCAL_BUCKET);
            s3.putObject(Step.LOCAL_BUCKET, Step.SAMPLE_KEY, Step.SAMPLE_DATA);
            return s3;
        });
    }

    static SeededS3 startInBackground() {
        return new SeededS3(freeLoopbackPort());
    }

    /** The value for {@code AWS_ENDPOINT_URL_S3}. */
    URI endpoint() {
        return endpoint;
    }

    /** Waits until the bucket and object are in place; rethrows why the server did not start. */
    void awaitReady() {
        try {
            server.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public void close() {
        LocalS3 s3;
        try {
            s3 = server.join();
        } catch (CompletionException e) {
            return;
        }
        s3.close();
    }

    /**
     * A free port below the operating systems' ephemeral ranges (Linux from 32768, macOS and Windows
     * from 49152). The port is chosen before S3Proxy binds it, so that the function can be told
     * where S3 is while both start; a port the system handed out for "any port" could be handed
     * out again in between, to the queue server, the REST API or the daemon of a run beside this
     * one (seen in the integration tests: "port in use"). Outside that range only another choice
     * like this one could take it.
     */
    private static int freeLoopbackPort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(FIRST_PORT, LAST_PORT + 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("No free TCP port on 127.0.0.1 between " + FIRST_PORT + " and "
                + LAST_PORT + " for the local S3 server: free some, or stop other local runs"));
    }

    private static final int FIRST_PORT = 20000;
    private static final int LAST_PORT = 32767;
}
