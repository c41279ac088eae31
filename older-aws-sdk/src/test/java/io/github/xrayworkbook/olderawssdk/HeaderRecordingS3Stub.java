package io.github.xrayworkbook.olderawssdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hand-written stand-in for S3, on loopback: it answers every GET with step 2's sample object and
 * keeps the {@code X-Amzn-Trace-Id} header of the last request. The embedded S3 server the rest of
 * the workbook uses does not show the headers it receives, which is all this test looks at.
 */
final class HeaderRecordingS3Stub implements AutoCloseable {

    static final String SAMPLE_DATA = "{\"message\": \"Hello from S3!\"}";

    private final HttpServer server;
    private final AtomicReference<Optional<String>> lastTraceHeader = new AtomicReference<>();

    private HeaderRecordingS3Stub(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            lastTraceHeader.set(Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id")));
            byte[] body = SAMPLE_DATA.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    static HeaderRecordingS3Stub start() throws IOException {
        return new HeaderRecordingS3Stub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The trace header of the last request, empty if it had none; fails if no request came. */
    Optional<String> lastTraceHeader() {
        Optional<String> header = lastTraceHeader.getAndSet(null);
        if (header == null) {
            throw new AssertionError("No request reached the S3 stand-in");
        }
        return header;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
