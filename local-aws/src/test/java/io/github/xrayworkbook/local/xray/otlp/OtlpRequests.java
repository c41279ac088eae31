package io.github.xrayworkbook.local.xray.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/** Builds the OTLP requests the tests send, the way OpenTelemetry's Java SDK fills them. */
final class OtlpRequests {

    static final HexFormat HEX = HexFormat.of();
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    /** An X-Ray trace id started at {@link #NOW}, as 32 hex digits: 8 of epoch seconds, 24 random. */
    static final String TRACE_ID = "%08x".formatted(NOW.getEpochSecond()) + "0123456789abcdef01234567";
    static final String XRAY_TRACE_ID = "1-%08x-0123456789abcdef01234567".formatted(NOW.getEpochSecond());

    private OtlpRequests() {
    }

    static Resource javaFunction() {
        return Resource.newBuilder()
                .addAttributes(text("service.name", "step-4"))
                .addAttributes(text("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(text("telemetry.sdk.language", "java"))
                .addAttributes(text("telemetry.sdk.version", "1.68.0"))
                .addAttributes(text("cloud.provider", "aws"))
                .addAttributes(text("aws.log.group.names", "/aws/lambda/step-4"))
                .build();
    }

    static Span.Builder span(String name, Span.SpanKind kind, String id, String parentId) {
        long start = NOW.getEpochSecond() * 1_000_000_000L + 250_000_000L;
        Span.Builder span = Span.newBuilder()
                .setName(name)
                .setKind(kind)
                .setTraceId(bytes(TRACE_ID))
                .setSpanId(bytes(id))
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + 500_000_000L);
        if (parentId != null) {
            span.setParentSpanId(bytes(parentId));
        }
        return span;
    }

    static ExportTraceServiceRequest request(Resource resource, Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span.Builder span : spans) {
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    /** The body of a datagram after the header line: prefix, then base64 protobuf. */
    static String body(String prefix, ExportTraceServiceRequest request) {
        return prefix + Base64.getEncoder().encodeToString(request.toByteArray());
    }

    static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue number(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue texts(String key, String... values) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (String value : values) {
            array.addValues(AnyValue.newBuilder().setStringValue(value));
        }
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array)).build();
    }

    static ByteString bytes(String hex) {
        return ByteString.copyFrom(HEX.parseHex(hex));
    }
}
