package io.github.xrayworkbook.step4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
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
        List<SpanData> spans = spans(Sampler.alwaysOn(), 40, "x".repeat(4_000));

        assertThat(exporter.export(spans).isSuccess()).isTrue();

        List<SpanCapture.Datagram> datagrams = capture.received();
        assertThat(datagrams).hasSizeGreaterThan(1).allSatisfy(datagram -> {
            assertThat(datagram.prefix()).isEqualTo("T1S");
            assertThat(datagram.bytes()).isLessThanOrEqualTo(XRayUdpSpanExporter.MAX_DATAGRAM_BYTES);
        });
        assertThat(datagrams.stream().mapToInt(datagram -> datagram.spans().size()).sum()).isEqualTo(40);
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

    /** Ended spans as the SDK hands them to an exporter. */
    private static List<SpanData> spans(Sampler sampler, int count, String payload) {
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
                tracer.spanBuilder("span " + i).setAttribute("payload", payload).startSpan().end();
            }
        }
        return ended;
    }
}
