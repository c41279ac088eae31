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

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
