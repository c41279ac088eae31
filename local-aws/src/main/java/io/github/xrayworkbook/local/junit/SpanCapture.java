package io.github.xrayworkbook.local.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.xrayworkbook.local.xray.XRayDaemon;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A UDP socket standing where Lambda's X-Ray endpoint stands, keeping each datagram exactly as it
 * arrived, so that tests can check the wire format and decode the spans themselves.
 */
public final class SpanCapture implements AutoCloseable {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    private static final String SYNC = "sync";

    private final DatagramSocket socket;
    private final int receiveBufferBytes;
    private final List<String> datagrams = new ArrayList<>();
    private int syncs;

    public SpanCapture() {
        try {
            socket = new DatagramSocket(null);
            // What the local X-Ray daemon asks for; the system may grant less (receiveBufferBytes).
            socket.setReceiveBufferSize(XRayDaemon.RECEIVE_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            receiveBufferBytes = socket.getReceiveBufferSize();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        Thread receiver = new Thread(this::receive, "span-capture");
        receiver.setDaemon(true);
        receiver.start();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /**
     * The receive buffer the system granted. Datagrams sent faster than the receiving thread reads
     * them queue there, and those that find it full are dropped: a test that sends a burst keeps it
     * well under this size rather than count on the thread being scheduled in time.
     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** A decoded datagram: the prefix that follows the header line, and the spans. */
    public record Datagram(String prefix, int bytes, ExportTraceServiceRequest request) {

        public List<Span> spans() {
            return request.getResourceSpansList().stream()
                    .flatMap(resource -> resource.getScopeSpansList().stream())
                    .flatMap(scope -> scope.getSpansList().stream())
                    .toList();
        }

        public Resource resource() {
            return request.getResourceSpans(0).getResource();
        }
    }

    /** Every datagram sent before this call, decoded; fails the test if one is not in the format. */
    public List<Datagram> received() {
        List<String> raw = syncAndCopy();
        List<Datagram> decoded = new ArrayList<>();
        for (String datagram : raw) {
            assertThat(datagram).startsWith(HEADER);
            String body = datagram.substring(HEADER.length());
            String prefix = body.substring(0, 3);
            assertThat(prefix).isIn("T1S", "T1U");
            try {
                decoded.add(new Datagram(prefix, datagram.getBytes(StandardCharsets.UTF_8).length,
                        ExportTraceServiceRequest.parseFrom(Base64.getDecoder().decode(body.substring(3)))));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("Not an OTLP ExportTraceServiceRequest: " + body, e);
            }
        }
        return decoded;
    }

    public void clear() {
        syncAndCopy();
        synchronized (this) {
            datagrams.clear();
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    /** On loopback, datagrams to one socket arrive in the order sent: a marker of our own comes last. */
    private List<String> syncAndCopy() {
        int marker;
        synchronized (this) {
            marker = syncs + 1;
        }
        byte[] payload = SYNC.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket sender = new DatagramSocket()) {
            sender.send(new DatagramPacket(payload, payload.length, socket.getLocalSocketAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        synchronized (this) {
            while (syncs < marker) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("The capture socket did not catch up within 5 s");
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return List.copyOf(datagrams);
        }
    }

    private void receive() {
        byte[] buffer = new byte[XRayDaemon.MAX_DATAGRAM_BYTES + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
            synchronized (this) {
                if (text.equals(SYNC)) {
                    syncs++;
                } else {
                    datagrams.add(text);
                }
                notifyAll();
            }
        }
    }
}
