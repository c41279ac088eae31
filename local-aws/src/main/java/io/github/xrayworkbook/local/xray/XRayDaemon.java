package io.github.xrayworkbook.local.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.otlp.OtlpDatagram;
import io.github.xrayworkbook.local.xray.otlp.SpanSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A local X-Ray daemon: listens on 127.0.0.1 for the UDP datagrams the X-Ray SDK emits and keeps
 * every segment document it receives.
 *
 * <p>The daemon protocol is one document per datagram, preceded by the header line
 * {@code {"format": "json", "version": 1}}. Like Lambda's X-Ray endpoint, it also takes
 * OpenTelemetry spans after that header: {@code T1S} (sampled) or {@code T1U}, then the base64 of
 * an OTLP {@code ExportTraceServiceRequest}. It converts sampled spans into the segment documents
 * X-Ray makes of them (see {@link io.github.xrayworkbook.local.xray.otlp}) and keeps those beside
 * the SDK's; unsampled spans only feed metrics in AWS, so they are counted and dropped.
 *
 * <p>A datagram that is none of these (garbage) or is larger than {@link #MAX_DATAGRAM_BYTES} is
 * counted and described in {@link #rejections()}, never fatal. Unlike the real daemon, this one
 * forwards nothing: it is the end of the line.
 */
public final class XRayDaemon implements AutoCloseable {

    /**
     * The largest datagram that can reach the daemon: an IPv4 UDP datagram carries at most 65,507
     * bytes (65,535 less the IP and UDP headers), and the X-Ray daemon listens on IPv4.
     */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    /**
     * The receive buffer the daemon asks for: datagrams that arrive while the buffer is full are
     * dropped before the receiving thread reads them. The system may grant less without saying so
     * (Linux caps it at {@code net.core.rmem_max}, 212,992 bytes by default): see
     * {@link #receiveBufferBytes()}.
     */
    public static final int RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

    private static final String SYNC_PREFIX = "xray-workbook-sync ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatagramSocket socket;
    private final int maxDatagramBytes;
    private final int receiveBufferBytes;
    private final Thread receiver;
    private final List<SegmentDocument> documents = new ArrayList<>();
    private final AtomicLong garbage = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong syncsSent = new AtomicLong();
    private final AtomicLong unsampledSpans = new AtomicLong();
    private long syncsReceived;
    private volatile String lastRejection = "";

    private XRayDaemon(DatagramSocket socket, int maxDatagramBytes, int receiveBufferBytes) {
        this.socket = socket;
        this.maxDatagramBytes = maxDatagramBytes;
        this.receiveBufferBytes = receiveBufferBytes;
        this.receiver = new Thread(this::receiveUntilClosed, "xray-daemon-" + port());
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /** Starts a daemon on a free port of 127.0.0.1. */
    public static XRayDaemon start() {
        return start(0);
    }

    /**
     * Starts a daemon on 127.0.0.1:{@code port} (0 picks a free one).
     *
     * @throws IllegalStateException if the port is taken, with a message saying what to do
     */
    public static XRayDaemon start(int port) {
        return start(port, MAX_DATAGRAM_BYTES);
    }

    static XRayDaemon start(int port, int maxDatagramBytes) {
        try {
            DatagramSocket socket = new DatagramSocket(null);
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (BindException e) {
                socket.close();
                throw new IllegalStateException("UDP port " + port + " on 127.0.0.1 is in use:"
                        + " stop whatever holds it (another X-Ray daemon?) or choose another port", e);
            }
            return new XRayDaemon(socket, maxDatagramBytes, socket.getReceiveBufferSize());
        } catch (SocketException e) {
            throw new UncheckedIOException("Cannot open a UDP socket on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /**
     * The receive buffer the system granted (as Java reports it: Linux reserves twice as much for
     * its own bookkeeping). A burst of datagrams larger than this, sent faster than the daemon reads
     * them, may lose datagrams that no count here can show.
     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** The value for {@code AWS_XRAY_DAEMON_ADDRESS}, e.g. {@code 127.0.0.1:2000}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Every document received so far, in arrival order. */
    public synchronized List<SegmentDocument> documents() {
        return List.copyOf(documents);
    }

    /** The documents of one trace, in arrival order. */
    public synchronized List<SegmentDocument> documents(String traceId) {
        return documents.stream().filter(d -> traceId.equals(d.traceId())).toList();
    }

    /**
     * Waits until every datagram sent to this daemon before the call has been received, so that
     * "nothing arrived" is a fact rather than a guess. It sends a marker datagram to itself: on
     * loopback, datagrams to one socket are queued in the order they were sent.
     *
     * @return false if the marker did not come back within the timeout
     */
    public boolean sync(Duration timeout) {
        long marker = syncsSent.incrementAndGet();
        byte[] payload = (SYNC_PREFIX + marker).getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket sender = new DatagramSocket()) {
            sender.send(new DatagramPacket(payload, payload.length, socket.getLocalSocketAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return awaitCondition(() -> syncsReceived >= marker, timeout);
    }

    /**
     * Waits until the trace has at least {@code count} documents, then returns them all.
     * Returns what has arrived if the timeout passes first.
     */
    public List<SegmentDocument> awaitDocuments(String traceId, int count, Duration timeout) {
        awaitCondition(() -> documents(traceId).size() >= count, timeout);
        return documents(traceId);
    }

    /** Spans that arrived as {@code T1U}: counted, not kept, since X-Ray records no trace of them. */
    public long unsampledSpans() {
        return unsampledSpans.get();
    }

    /** How many datagrams were turned away, and why the last one was. */
    public Rejections rejections() {
        return new Rejections(garbage.get(), oversized.get(), lastRejection);
    }

    /** Datagrams the daemon could not use. */
    public record Rejections(long garbage, long oversized, String lastReason) {
        public long total() {
            return garbage + oversized;
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            receiver.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean awaitCondition(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void receiveUntilClosed() {
        // One byte more than allowed, so that an oversized datagram shows itself.
        byte[] buffer = new byte[maxDatagramBytes + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            if (packet.getLength() > maxDatagramBytes) {
                oversized.incrementAndGet();
                lastRejection = "datagram larger than " + maxDatagramBytes + " bytes";
                continue;
            }
            accept(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    private void accept(String datagram) {
        if (datagram.startsWith(SYNC_PREFIX)) {
            synchronized (this) {
                syncsReceived++;
                notifyAll();
            }
            return;
        }
        int newline = datagram.indexOf('\n');
        if (newline < 0) {
            reject("no header line");
            return;
        }
        try {
            JsonNode header = JSON.readTree(datagram.substring(0, newline));
            if (header == null || !"json".equals(header.path("format").asText())
                    || header.path("version").asInt() != 1) {
                reject("header is not {\"format\": \"json\", \"version\": 1}");
                return;
            }
            String body = datagram.substring(newline + 1);
            if (OtlpDatagram.isOtlp(body)) {
                acceptSpans(body);
                return;
            }
            if (!body.isEmpty() && Character.isLetter(body.charAt(0))) {
                reject("unknown body: neither a JSON document nor " + OtlpDatagram.SAMPLED + "/"
                        + OtlpDatagram.UNSAMPLED + " + base64 OTLP (starts with \""
                        + body.substring(0, Math.min(body.length(), 8)) + "\")");
                return;
            }
            JsonNode document = JSON.readTree(body);
            if (document == null || !document.isObject()) {
                reject("body is not a JSON object");
                return;
            }
            synchronized (this) {
                documents.add(new SegmentDocument(document, body));
                notifyAll();
            }
        } catch (JsonProcessingException e) {
            reject("not JSON: " + e.getOriginalMessage());
        }
    }

    private void acceptSpans(String body) {
        OtlpDatagram datagram;
        try {
            datagram = OtlpDatagram.parse(body);
        } catch (IllegalArgumentException e) {
            reject(e.getMessage());
            return;
        }
        if (!datagram.sampled()) {
            unsampledSpans.addAndGet(datagram.spanCount());
            return;
        }
        SpanSegments converted = SpanSegments.of(datagram.request(), Instant.now());
        synchronized (this) {
            for (ObjectNode document : converted.documents()) {
                documents.add(SegmentDocument.convertedFromSpan(document));
            }
            notifyAll();
        }
        if (!converted.refused().isEmpty()) {
            reject(String.join("; ", converted.refused()));
        }
    }

    private void reject(String reason) {
        garbage.incrementAndGet();
        lastRejection = reason;
    }
}
