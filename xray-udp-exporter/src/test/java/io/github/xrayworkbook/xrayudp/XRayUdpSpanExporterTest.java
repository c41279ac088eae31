package io.github.xrayworkbook.xrayudp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xrayworkbook.local.junit.SpanCapture;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.local.xray.XRayDaemon;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XRayUdpSpanExporterTest {

    private final SpanCapture capture = new SpanCapture();
    private final XRayUdpSpanExporter exporter =
            XRayUdpSpanExporter.fromEnvironment(Map.of("AWS_XRAY_DAEMON_ADDRESS", capture.address()));

    @AfterEach
    void close() {
        exporter.shutdown();
        capture.close();
    }

    @Test
    void splitsABatchTooLargeForOneDatagram() {
        List<SpanData> spans = spans(Sampler.alwaysOn(), 30, "x".repeat(2_000));
        int burst = XRayUdpSpanExporter.datagram(spans, "T1S").length;
        assertThat(burst).isGreaterThan(XRayUdpSpanExporter.MAX_DATAGRAM_BYTES);
        assertFitsInReceiveBuffer(burst, capture.receiveBufferBytes());

        assertThat(exporter.export(spans).isSuccess()).isTrue();

        List<SpanCapture.Datagram> datagrams = capture.received();
        assertThat(datagrams).hasSizeGreaterThan(1).allSatisfy(datagram -> {
            assertThat(datagram.prefix()).isEqualTo("T1S");
            assertThat(datagram.bytes()).isLessThanOrEqualTo(XRayUdpSpanExporter.MAX_DATAGRAM_BYTES);
        });
        assertThat(datagrams.stream().mapToInt(datagram -> datagram.spans().size()).sum()).isEqualTo(30);
    }

    @Test
    void splitsABatchJustOverTheUdpLimitAndTheRealDaemonReceivesEverySpan() {
        // A batch whose one datagram would carry between 65,508 and 65,536 bytes: too large for
        // IPv4 UDP ("Message too long"), yet under the 64 KiB the exporter once took as its limit.
        TraceHeader trace = TraceHeader.newTrace(true);
        List<SpanData> spans = batchOfDatagramSize(trace, 10, XRayUdpSpanExporter.MAX_DATAGRAM_BYTES + 13);
        int burst = XRayUdpSpanExporter.datagram(spans, "T1S").length;
        assertThat(burst).isBetween(XRayUdpSpanExporter.MAX_DATAGRAM_BYTES + 1, 65_536);

        try (XRayDaemon daemon = XRayDaemon.start();
             XRayUdpSpanExporter toDaemon = XRayUdpSpanExporter.fromEnvironment(
                     Map.of("AWS_XRAY_DAEMON_ADDRESS", daemon.address()))) {
            assertFitsInReceiveBuffer(burst, daemon.receiveBufferBytes());
            assertThat(toDaemon.export(spans).isSuccess()).isTrue();

            assertThat(daemon.sync(Duration.ofSeconds(5))).isTrue();
            assertThat(daemon.rejections().total()).isZero();
            assertThat(daemon.documents(trace.root())).extracting(SegmentDocument::id)
                    .containsExactlyInAnyOrderElementsOf(spans.stream().map(SpanData::getSpanId).toList());
        }
    }

    @Test
    void refusesASpanTooLargeForADatagramAndSendsTheRest() {
        List<SpanData> spans = new ArrayList<>(spans(Sampler.alwaysOn(), 1, "x".repeat(70_000)));
        spans.addAll(spans(Sampler.alwaysOn(), 1, "small"));

        CompletableResultCode result = exporter.export(spans);

        assertThat(result.isSuccess()).isFalse();
        assertThat(capture.received()).singleElement()
                .satisfies(datagram -> assertThat(datagram.spans()).hasSize(1));
    }

    @Test
    void marksSpansThatAreRecordedButNotSampledAsT1U() {
        Sampler recordOnly = new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parent, String traceId, String name,
                    SpanKind kind, Attributes attributes, List<LinkData> links) {
                return SamplingResult.recordOnly();
            }

            @Override
            public String getDescription() {
                return "record only";
            }
        };

        exporter.export(spans(recordOnly, 2, "metrics only"));

        assertThat(capture.received()).singleElement().satisfies(datagram -> {
            assertThat(datagram.prefix()).isEqualTo("T1U");
            assertThat(datagram.spans()).hasSize(2);
        });
    }

    @Test
    void readsTheDaemonAddressTheWayTheXRaySdksDo() {
        assertThat(XRayUdpSpanExporter.udpEndpoint("169.254.79.129:2000"))
                .isEqualTo(new InetSocketAddress("169.254.79.129", 2000));
        assertThat(XRayUdpSpanExporter.udpEndpoint("tcp:127.0.0.1:3000 udp:127.0.0.2:2001"))
                .isEqualTo(new InetSocketAddress("127.0.0.2", 2001));
        assertThatThrownBy(() -> XRayUdpSpanExporter.udpEndpoint("localhost"))
                .hasMessage("AWS_XRAY_DAEMON_ADDRESS is not host:port: localhost");
    }

    /**
     * An export sends its datagrams in one burst, faster than the receiving thread may be scheduled
     * to read them: they must all fit in the receiver's buffer at once, or some are dropped. Half
     * the size the system granted leaves room for the split's extra headers and the kernel's own
     * accounting, whatever size was granted.
     */
    private static void assertFitsInReceiveBuffer(int burstBytes, int grantedBytes) {
        assertThat(burstBytes).as("a burst of %d bytes in a UDP receive buffer of %d bytes, as granted"
                + " (on Linux, raise net.core.rmem_max)", burstBytes, grantedBytes)
                .isLessThanOrEqualTo(grantedBytes / 2);
    }

    /**
     * {@code count} spans of one X-Ray trace, under Lambda's function segment, with the smallest
     * payload each that makes their one datagram at least {@code bytes} long (longer by less than
     * the datagram grows when every payload grows by one character).
     */
    private static List<SpanData> batchOfDatagramSize(TraceHeader trace, int count, int bytes) {
        int low = 0;
        int high = bytes / count;
        while (low < high) {
            int payload = (low + high) / 2;
            if (XRayUdpSpanExporter.datagram(childSpans(trace, count, payload), "T1S").length < bytes) {
                low = payload + 1;
            } else {
                high = payload;
            }
        }
        return childSpans(trace, count, low);
    }

    private static List<SpanData> childSpans(TraceHeader trace, int count, int payloadLength) {
        SpanContext parent = SpanContext.createFromRemoteParent(trace.root().substring(2).replace("-", ""),
                trace.parent(), TraceFlags.getSampled(), TraceState.getDefault());
        return spans(Sampler.parentBased(Sampler.alwaysOn()), Context.root().with(Span.wrap(parent)), count,
                "x".repeat(payloadLength));
    }

    /** Ended spans as the SDK hands them to an exporter. */
    private static List<SpanData> spans(Sampler sampler, int count, String payload) {
        return spans(sampler, Context.root(), count, payload);
    }

    private static List<SpanData> spans(Sampler sampler, Context parent, int count, String payload) {
        List<SpanData> ended = new ArrayList<>();
        SpanProcessor collect = new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(sampler)
                .addSpanProcessor(collect).build()) {
            Tracer tracer = provider.get("test");
            for (int i = 0; i < count; i++) {
                tracer.spanBuilder("span " + i).setParent(parent).setAttribute("payload", payload).startSpan().end();
            }
        }
        return ended;
    }
}
