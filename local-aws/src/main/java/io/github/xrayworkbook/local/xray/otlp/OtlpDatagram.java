package io.github.xrayworkbook.local.xray.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.Base64;

/**
 * The body of a datagram carrying OpenTelemetry spans to Lambda's X-Ray endpoint, after the
 * daemon's header line: {@value #SAMPLED} or {@value #UNSAMPLED}, then the base64 of an OTLP
 * {@code ExportTraceServiceRequest}. This is what ADOT's {@code AwsXrayUdpSpanExporter} sends
 * (github.com/aws-observability/aws-otel-java-instrumentation).
 *
 * @param sampled true for {@value #SAMPLED}: the spans belong to a recorded trace
 * @param request the decoded spans
 */
public record OtlpDatagram(boolean sampled, ExportTraceServiceRequest request) {

    public static final String SAMPLED = "T1S";
    public static final String UNSAMPLED = "T1U";

    /** True if the body claims to be OTLP spans, whether or not the rest decodes. */
    public static boolean isOtlp(String body) {
        return body.startsWith(SAMPLED) || body.startsWith(UNSAMPLED);
    }

    /**
     * Decodes a body that {@link #isOtlp claims to be OTLP}.
     *
     * @throws IllegalArgumentException saying what is wrong: the base64 or the protobuf
     */
    public static OtlpDatagram parse(String body) {
        if (!isOtlp(body)) {
            throw new IllegalArgumentException("not " + SAMPLED + " or " + UNSAMPLED + " followed by base64 OTLP");
        }
        String prefix = body.substring(0, SAMPLED.length());
        byte[] protobuf;
        try {
            protobuf = Base64.getDecoder().decode(body.substring(prefix.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + " payload is not base64: " + e.getMessage(), e);
        }
        try {
            return new OtlpDatagram(SAMPLED.equals(prefix), ExportTraceServiceRequest.parseFrom(protobuf));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(prefix + " payload is not an OTLP ExportTraceServiceRequest: "
                    + e.getMessage(), e);
        }
    }

    public int spanCount() {
        int count = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                count += scopeSpans.getSpansCount();
            }
        }
        return count;
    }
}
