package io.github.xrayworkbook.local.xray.otlp;

import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.NOW;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.XRAY_TRACE_ID;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.javaFunction;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.number;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.request;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.span;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.text;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanSegmentsTest {

    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION_SEGMENT = "53995c3f42cd8ad8";
    private static final String HANDLER = "1111111111111111";

    @Test
    void aServerSpanIsASegmentUnderItsParentNamedAfterTheService() {
        ObjectNode segment = only(span("handleRequest", SpanKind.SPAN_KIND_SERVER, HANDLER, FUNCTION_SEGMENT)
                .addAttributes(text("faas.invocation_id", "req-1")));

        assertThat(segment.path("name").asText()).isEqualTo("step-4");
        assertThat(segment.path("id").asText()).isEqualTo(HANDLER);
        assertThat(segment.path("parent_id").asText()).isEqualTo(FUNCTION_SEGMENT);
        assertThat(segment.path("trace_id").asText()).isEqualTo(XRAY_TRACE_ID);
        assertThat(segment.has("type")).isFalse();
        assertThat(segment.has("namespace")).isFalse();
        assertThat(segment.path("start_time").asDouble()).isEqualTo(NOW.getEpochSecond() + 0.25);
        assertThat(segment.path("end_time").asDouble()).isEqualTo(NOW.getEpochSecond() + 0.75);
        assertThat(segment.path("aws").path("xray").path("sdk").asText()).isEqualTo("opentelemetry for java");
        assertThat(segment.path("aws").path("xray").path("sdk_version").asText()).isEqualTo("1.68.0");
        JsonNode metadata = segment.path("metadata").path("default");
        assertThat(metadata.path("faas.invocation_id").asText()).isEqualTo("req-1");
        assertThat(metadata.path("otel.resource.service.name").asText()).isEqualTo("step-4");
        assertThat(segment.path("metadata").path("workbench").path("emulated").asText())
                .isEqualTo(SpanSegment.EMULATED);
        assertThat(segment.has("fault")).isFalse();
        assertThat(segment.has("error")).isFalse();
        assertThat(segment.has("annotations")).isFalse();
    }

    @Test
    void anAwsSdkSpanIsAnAwsSubsegmentNamedAfterTheService() {
        ObjectNode s3 = only(span("S3.GetObject", SpanKind.SPAN_KIND_CLIENT, "2222222222222222", HANDLER)
                .addAttributes(text("rpc.system", "aws-api"))
                .addAttributes(text("rpc.service", "S3"))
                .addAttributes(text("rpc.method", "GetObject"))
                .addAttributes(text("aws.request_id", "4442587FB7D0A2F9"))
                .addAttributes(text("aws.s3.bucket", "xray-workbook"))
                .addAttributes(text("aws.s3.key", "sample_data.json"))
                .addAttributes(text("http.request.method", "GET"))
                .addAttributes(text("url.full", "http://127.0.0.1:4566/xray-workbook/sample_data.json"))
                .addAttributes(number("http.response.status_code", 200)));

        assertThat(s3.path("name").asText()).isEqualTo("S3");
        assertThat(s3.path("type").asText()).isEqualTo("subsegment");
        assertThat(s3.path("parent_id").asText()).isEqualTo(HANDLER);
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("request_id").asText()).isEqualTo("4442587FB7D0A2F9");
        assertThat(s3.path("http").path("request").path("method").asText()).isEqualTo("GET");
        assertThat(s3.path("http").path("request").path("url").asText()).endsWith("/sample_data.json");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);
        JsonNode metadata = s3.path("metadata").path("default");
        assertThat(metadata.path("aws.s3.bucket").asText()).isEqualTo("xray-workbook");
        assertThat(metadata.path("aws.s3.key").asText()).isEqualTo("sample_data.json");
        assertThat(metadata.has("rpc.method")).isFalse();
        assertThat(metadata.has("url.full")).isFalse();
        assertThat(metadata.fieldNames()).toIterable().noneMatch(key -> key.startsWith("otel.resource."));
        assertThat(s3.has("fault")).isFalse();
    }

    @Test
    void anotherClientSpanIsARemoteSubsegment() {
        ObjectNode call = only(span("GET", SpanKind.SPAN_KIND_CLIENT, "2222222222222222", HANDLER)
                .addAttributes(text("peer.service", "payments")));

        assertThat(call.path("name").asText()).isEqualTo("payments");
        assertThat(call.path("namespace").asText()).isEqualTo("remote");
    }

    @Test
    void annotationsMetadataNamespacesAndTheExceptionLandWhereXRayPutsThem() {
        String stacktrace = """
                java.lang.RuntimeException: Information
                \tat io.github.xrayworkbook.step4.OpenTelemetryHandler.throwingException(OpenTelemetryHandler.java:92)
                \tat java.base/java.lang.Thread.run(Thread.java:1583)
                \tat jdk.internal.reflect.GeneratedMethodAccessor1.invoke(Unknown Source)
                Caused by: java.io.IOException: disk: full
                \tat io.github.xrayworkbook.step4.Disk.write(Disk.java:7)
                \t... 3 more
                """;
        ObjectNode subsegment = only(span("Throwing exception", SpanKind.SPAN_KIND_INTERNAL, "3333333333333333", HANDLER)
                .addAttributes(text("very_important_annotation", "Very very important information"))
                .addAttributes(text("not.indexed", "kept as metadata"))
                .addAttributes(texts("aws.xray.annotations", "very_important_annotation", "retries.count"))
                .addAttributes(number("retries.count", 2))
                .addAttributes(text("aws.xray.metadata.information",
                        "{\"very_important_inforamtion\": {\"message\": \"Hello I am metadata\"}}"))
                .addAttributes(text("aws.xray.metadata.default", "{\"merged\": true}"))
                .addAttributes(text("aws.xray.metadata.broken", "not json"))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1)
                        .addAttributes(text("exception.type", "java.lang.RuntimeException"))
                        .addAttributes(text("exception.message", "Information"))
                        .addAttributes(text("exception.stacktrace", stacktrace)))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("Information")));

        assertThat(subsegment.path("type").asText()).isEqualTo("subsegment");
        assertThat(subsegment.has("namespace")).isFalse();
        assertThat(subsegment.path("annotations")).isEqualTo(json(
                "{\"very_important_annotation\": \"Very very important information\", \"retries_count\": 2}"));
        JsonNode metadata = subsegment.path("metadata");
        assertThat(metadata.path("information"))
                .isEqualTo(json("{\"very_important_inforamtion\": {\"message\": \"Hello I am metadata\"}}"));
        assertThat(metadata.path("default").path("not.indexed").asText()).isEqualTo("kept as metadata");
        assertThat(metadata.path("default").path("merged").asBoolean()).isTrue();
        assertThat(metadata.path("default").path("aws.xray.metadata.broken").asText()).isEqualTo("not json");
        assertThat(metadata.path("default").has("aws.xray.annotations")).isFalse();
        assertThat(subsegment.path("fault").asBoolean()).isTrue();
        assertThat(subsegment.has("error")).isFalse();

        JsonNode exceptions = subsegment.path("cause").path("exceptions");
        assertThat(exceptions).hasSize(2);
        JsonNode thrown = exceptions.get(0);
        assertThat(thrown.path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(thrown.path("message").asText()).isEqualTo("Information");
        assertThat(thrown.path("remote").asBoolean()).isFalse();
        assertThat(thrown.path("id").asText()).matches("[0-9a-f]{16}");
        assertThat(thrown.path("stack")).isEqualTo(json("""
                [{"path": "OpenTelemetryHandler.java", "line": 92,
                  "label": "io.github.xrayworkbook.step4.OpenTelemetryHandler.throwingException"},
                 {"path": "Thread.java", "line": 1583, "label": "java.lang.Thread.run"},
                 {"path": "Unknown Source", "line": 0, "label": "jdk.internal.reflect.GeneratedMethodAccessor1.invoke"}]
                """));
        JsonNode cause = exceptions.get(1);
        assertThat(thrown.path("cause").asText()).isEqualTo(cause.path("id").asText());
        assertThat(cause.path("type").asText()).isEqualTo("java.io.IOException");
        assertThat(cause.path("message").asText()).isEqualTo("disk: full");
        assertThat(cause.path("stack")).hasSize(1);
    }

    @Test
    void theHttpStatusDecidesBetweenErrorThrottleAndFault() {
        assertThat(flags(404)).containsExactly("error");
        assertThat(flags(429)).containsExactly("error", "throttle");
        assertThat(flags(503)).containsExactly("fault");
        assertThat(flags(200)).isEmpty();
    }

    @Test
    void anErrorStatusWithoutExceptionEventsIsAFaultCarryingTheStatusMessage() {
        ObjectNode failed = only(span("work", SpanKind.SPAN_KIND_INTERNAL, "4444444444444444", HANDLER)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("it broke")));

        assertThat(failed.path("fault").asBoolean()).isTrue();
        assertThat(failed.path("cause").path("exceptions").get(0).path("message").asText()).isEqualTo("it broke");
    }

    @Test
    void namesAndAnnotationKeysAreCutToWhatXRayAccepts() {
        ObjectNode span = only(span("GET /items?id=1 <script>", SpanKind.SPAN_KIND_INTERNAL, "5555555555555555", HANDLER)
                .addAttributes(texts("aws.xray.annotations", "http.route"))
                .addAttributes(text("http.route", "/items")));

        assertThat(span.path("name").asText()).isEqualTo("GET /itemsid=1 script");
        assertThat(span.path("annotations").path("http_route").asText()).isEqualTo("/items");
    }

    @Test
    void aSpanWhoseTraceIdCarriesNoRecentTimestampIsRefusedAndTheOthersKept() {
        Span.Builder random = span("random id", SpanKind.SPAN_KIND_INTERNAL, "6666666666666666", HANDLER)
                .setTraceId(OtlpRequests.bytes("0af7651916cd43dd8448eb211c80319c"));
        Span.Builder fine = span("fine", SpanKind.SPAN_KIND_INTERNAL, "7777777777777777", HANDLER);

        SpanSegments converted = SpanSegments.of(request(javaFunction(), random, fine), NOW);

        assertThat(converted.documents()).extracting(d -> d.path("name").asText()).containsExactly("fine");
        assertThat(converted.refused()).singleElement().asString()
                .startsWith("span \"random id\": trace id 0af7651916cd43dd8448eb211c80319c does not start with");
        assertThat(SpanSegments.of(request(javaFunction(), fine), NOW.plus(Duration.ofDays(29))).refused())
                .hasSize(1);
    }

    private static List<String> flags(long status) {
        ObjectNode call = only(span("call", SpanKind.SPAN_KIND_CLIENT, "8888888888888888", HANDLER)
                .addAttributes(number("http.status_code", status))
                .setStatus(Status.newBuilder().setCode(status >= 400
                        ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET)));
        assertThat(call.path("http").path("response").path("status").asLong()).isEqualTo(status);
        return List.of("error", "throttle", "fault").stream().filter(flag -> call.path(flag).asBoolean()).toList();
    }

    /** Converts one span and checks the document against AWS's schema. */
    private static ObjectNode only(Span.Builder span) {
        SpanSegments converted = SpanSegments.of(request(javaFunction(), span), NOW);
        assertThat(converted.refused()).isEmpty();
        assertThat(converted.documents()).hasSize(1);
        ObjectNode document = converted.documents().get(0);
        assertThat(SCHEMA.violations(document)).as(document.toPrettyString()).isEmpty();
        return document;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
