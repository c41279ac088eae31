package io.github.xrayworkbook.local.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XRayDaemonTest {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final XRayDaemon daemon = XRayDaemon.start(0, 1024);

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void keepsEachDocumentSentWithTheProtocolHeader() throws IOException {
        send(HEADER + "{\"name\":\"S3\",\"id\":\"0123456789abcdef\",\"trace_id\":\"1-a-b\"}");
        send(HEADER + "{\"name\":\"other\",\"id\":\"fedcba9876543210\",\"trace_id\":\"1-c-d\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("S3", "other");
        assertThat(daemon.documents("1-a-b")).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo("0123456789abcdef"));
        assertThat(daemon.rejections().total()).isZero();
    }

    @Test
    void countsGarbageAndCarriesOn() throws IOException {
        send("no header at all");
        send("{\"format\": \"xml\", \"version\": 1}\n{}");
        send(HEADER + "{truncated");
        send(HEADER + "[1, 2]");
        send(HEADER + "{\"name\":\"still works\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().garbage()).isEqualTo(4);
        assertThat(daemon.rejections().lastReason()).isEqualTo("body is not a JSON object");
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("still works");
    }

    @Test
    void countsOversizedDatagramsAndCarriesOn() throws IOException {
        send(HEADER + "{\"name\":\"" + "x".repeat(2000) + "\"}");
        send(HEADER + "{\"name\":\"small\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().oversized()).isEqualTo(1);
        assertThat(daemon.rejections().lastReason()).isEqualTo("datagram larger than 1024 bytes");
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("small");
    }

    @Test
    void refusesAPortInUseWithAnExplanation() {
        assertThatThrownBy(() -> XRayDaemon.start(daemon.port()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("UDP port " + daemon.port() + " on 127.0.0.1 is in use:"
                        + " stop whatever holds it (another X-Ray daemon?) or choose another port");
    }

    @Test
    void givesTheAddressInTheSdkFormat() {
        assertThat(daemon.address()).isEqualTo("127.0.0.1:" + daemon.port());
    }

    @Test
    void convertsSampledOpenTelemetrySpansIntoSegmentDocuments() throws IOException {
        TraceHeader trace = TraceHeader.newTrace(true);
        send(HEADER + "T1S" + base64(spans(trace, "S3", "Throwing exception")));

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().total()).isZero();
        assertThat(daemon.documents(trace.root())).extracting(SegmentDocument::name)
                .containsExactly("S3", "Throwing exception");
        assertThat(daemon.documents(trace.root())).allSatisfy(document -> {
            // As X-Ray converts them, before its store nests them in their segment's document.
            assertThat(document.convertedFromSpan()).isTrue();
            assertThat(document.isSubsegment()).isTrue();
            assertThat(document.parentId()).contains(trace.parent());
            assertThat(document.json().path("metadata").path("workbench").path("emulated").asText()).isNotBlank();
            assertThat(document.raw()).isEqualTo(document.json().toString());
        });
    }

    @Test
    void countsUnsampledSpansWithoutKeepingThem() throws IOException {
        TraceHeader trace = TraceHeader.newTrace(false);
        send(HEADER + "T1U" + base64(spans(trace, "S3", "Throwing exception")));

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.documents()).isEmpty();
        assertThat(daemon.unsampledSpans()).isEqualTo(2);
        assertThat(daemon.rejections().total()).isZero();
    }

    @Test
    void countsAndDescribesBadOpenTelemetryDatagramsAndCarriesOn() throws IOException {
        send(HEADER + "T1S" + "not*base64!");
        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().lastReason()).startsWith("T1S payload is not base64: ");

        send(HEADER + "T1S" + Base64.getEncoder().encodeToString(new byte[] {0x0a, (byte) 0xff}));
        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().lastReason())
                .startsWith("T1S payload is not an OTLP ExportTraceServiceRequest: ");

        send(HEADER + "T2S" + base64(spans(TraceHeader.newTrace(true), "S3")));
        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().lastReason()).startsWith("unknown body: neither a JSON document nor T1S/T1U");

        TraceHeader trace = TraceHeader.newTrace(true);
        send(HEADER + "T1S" + base64(spans(trace, "still works")));
        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().garbage()).isEqualTo(3);
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("still works");
    }

    @Test
    void describesSpansXRayWouldRefuseAndKeepsTheRest() throws IOException {
        TraceHeader trace = TraceHeader.newTrace(true);
        ExportTraceServiceRequest request = spans(trace, "kept");
        Span refused = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
                .setName("random trace id").setTraceId(ByteString.copyFrom(new byte[16])).build();
        send(HEADER + "T1S" + base64(request.toBuilder().setResourceSpans(0, request.getResourceSpans(0).toBuilder()
                .setScopeSpans(0, request.getResourceSpans(0).getScopeSpans(0).toBuilder().addSpans(refused))).build()));

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("kept");
        assertThat(daemon.rejections().garbage()).isEqualTo(1);
        assertThat(daemon.rejections().lastReason()).startsWith("span \"random trace id\": trace id ");
    }

    /** Spans as OpenTelemetry's SDK sends them for one invocation, children of Lambda's function segment. */
    private static ExportTraceServiceRequest spans(TraceHeader trace, String... names) {
        HexFormat hex = HexFormat.of();
        String[] root = trace.root().split("-");
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long start = Instant.now().toEpochMilli() * 1_000_000L;
        for (String name : names) {
            scope.addSpans(Span.newBuilder().setName(name).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setTraceId(ByteString.copyFrom(hex.parseHex(root[1] + root[2])))
                    .setSpanId(ByteString.copyFrom(hex.parseHex(TraceHeader.newEntityId())))
                    .setParentSpanId(ByteString.copyFrom(hex.parseHex(trace.parent())))
                    .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000L));
        }
        Resource resource = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("step-4"))).build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope)).build();
    }

    private static String base64(ExportTraceServiceRequest request) {
        return Base64.getEncoder().encodeToString(request.toByteArray());
    }

    private void send(String datagram) throws IOException {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), daemon.port()));
        }
    }
}
