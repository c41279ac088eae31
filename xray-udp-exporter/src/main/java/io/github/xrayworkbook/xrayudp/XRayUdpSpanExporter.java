package io.github.xrayworkbook.xrayudp;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends spans to the X-Ray endpoint that Lambda runs in every execution environment, at
 * {@code AWS_XRAY_DAEMON_ADDRESS}, in the format that endpoint takes for OpenTelemetry spans.
 *
 * <p>It writes what ADOT's {@code software.amazon.distro.opentelemetry:aws-distro-opentelemetry-xray-udp-span-exporter}
 * writes (see {@code AwsXrayUdpSpanExporter} in github.com/aws-observability/aws-otel-java-instrumentation),
 * and that artifact is the drop-in replacement for this class where a registry serves it. Unlike it,
 * this one splits a batch that would not fit in one datagram.
 */
public final class XRayUdpSpanExporter implements SpanExporter {

    // tag::format[]
    /** The X-Ray daemon protocol's header line, the same one the X-Ray SDK sends. */
    public static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    /** Tells the endpoint the spans are sampled (kept as a trace) or not (used for metrics only). */
    public static final String SAMPLED = "T1S";
    public static final String UNSAMPLED = "T1U";
    /** The most an IPv4 UDP datagram can carry (65,535 less the IP and UDP headers); larger batches are split. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    // end::format[]

    public static final String DEFAULT_ADDRESS = "127.0.0.1:2000";

    private static final Logger LOG = Logger.getLogger(XRayUdpSpanExporter.class.getName());

    private final DatagramSocket socket;
    private final InetSocketAddress endpoint;

    public XRayUdpSpanExporter(InetSocketAddress endpoint) {
        this.endpoint = endpoint;
        try {
            this.socket = new DatagramSocket();
        } catch (SocketException e) {
            throw new UncheckedIOException("Cannot open a UDP socket: " + e.getMessage(), e);
        }
    }

    /** Sends to {@code AWS_XRAY_DAEMON_ADDRESS}, which Lambda sets, or to {@value #DEFAULT_ADDRESS}. */
    public static XRayUdpSpanExporter fromEnvironment(Map<String, String> environment) {
        String address = environment.get("AWS_XRAY_DAEMON_ADDRESS");
        return new XRayUdpSpanExporter(udpEndpoint(address == null || address.isBlank() ? DEFAULT_ADDRESS : address));
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> sampled = new ArrayList<>();
        List<SpanData> unsampled = new ArrayList<>();
        for (SpanData span : spans) {
            (span.getSpanContext().isSampled() ? sampled : unsampled).add(span);
        }
        boolean sent = send(sampled, SAMPLED) & send(unsampled, UNSAMPLED);
        return sent ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }

    // tag::datagram[]
    /** One datagram: the header line, the prefix, then the base64 of an OTLP ExportTraceServiceRequest. */
    static byte[] datagram(Collection<SpanData> spans, String prefix) {
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(protobuf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String payload = HEADER + prefix + Base64.getEncoder().encodeToString(protobuf.toByteArray());
        return payload.getBytes(StandardCharsets.UTF_8);
    }
    // end::datagram[]

    private boolean send(List<SpanData> spans, String prefix) {
        if (spans.isEmpty()) {
            return true;
        }
        byte[] datagram = datagram(spans, prefix);
        if (datagram.length > MAX_DATAGRAM_BYTES) {
            if (spans.size() == 1) {
                LOG.warning(() -> "Span " + spans.get(0).getName() + " alone needs " + datagram.length
                        + " bytes, more than the " + MAX_DATAGRAM_BYTES + " a datagram may carry: not sent");
                return false;
            }
            int half = spans.size() / 2;
            return send(spans.subList(0, half), prefix) & send(spans.subList(half, spans.size()), prefix);
        }
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, endpoint));
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot send spans to " + endpoint + ": " + e.getMessage(), e);
            return false;
        }
    }

    @Override
    public CompletableResultCode flush() {
        // Every export sends before it returns: nothing is ever waiting here.
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        socket.close();
        return CompletableResultCode.ofSuccess();
    }

    /**
     * Reads an address the way the X-Ray SDKs do: {@code host:port}, or the two-protocol form
     * {@code tcp:host:port udp:host:port}, of which only the UDP one matters here.
     */
    public static InetSocketAddress udpEndpoint(String address) {
        String udp = address.trim();
        for (String part : udp.split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring("udp:".length());
            }
        }
        int colon = udp.lastIndexOf(':');
        if (colon <= 0 || colon == udp.length() - 1) {
            throw new IllegalArgumentException("AWS_XRAY_DAEMON_ADDRESS is not host:port: " + address);
        }
        try {
            return new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AWS_XRAY_DAEMON_ADDRESS has no port number: " + address, e);
        }
    }
}
