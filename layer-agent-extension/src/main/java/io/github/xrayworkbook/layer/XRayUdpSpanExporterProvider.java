package io.github.xrayworkbook.layer;

import io.github.xrayworkbook.xrayudp.XRayUdpSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Makes the X-Ray UDP exporter available to the OpenTelemetry Java agent as
 * {@code OTEL_TRACES_EXPORTER=xray-udp}. ADOT's agent in AWS's Lambda layer needs no such setting:
 * on Lambda it swaps its OTLP exporter for the same UDP one by itself (the {@code
 * AwsApplicationSignalsCustomizerProvider} of github.com/aws-observability/aws-otel-java-instrumentation).
 */
public final class XRayUdpSpanExporterProvider implements ConfigurableSpanExporterProvider {

    public static final String NAME = "xray-udp";

    @Override
    public String getName() {
        return NAME;
    }

    /** Sends to {@code AWS_XRAY_DAEMON_ADDRESS}, which Lambda sets in every execution environment. */
    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return XRayUdpSpanExporter.fromEnvironment(System.getenv());
    }
}
