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
import io.github.xrayworkbook.local.xray.StoredTrace;
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
        assertThat(segment.path("fault").isBoolean() && segment.path("error").isBoolean()
                && segment.path("throttle").isBoolean()).isTrue();
        assertThat(List.of("fault", "error", "throttle")).noneMatch(flag -> segment.path(flag).asBoolean());
        assertThat(segment.path("aws")).isEqualTo(json("""
                {"span.kind": "SERVER", "log.group.names": "/aws/lambda/step-4",
                 "xray.fault": false, "xray.error": false, "xray.throttle": false,
                 "xray": {"sdk": "opentelemetry for java", "sdk_version": "1.68.0", "auto_instrumentation": false}}
                """));
        assertThat(segment.path("annotations")).isEqualTo(json("""
                {"aws.local.service": "step-4", "aws.local.operation": "handleRequest",
                 "aws.local.environment": "lambda:default", "span.kind": "SERVER", "span.name": "handleRequest"}
                """));
        assertThat(segment.path("metadata")).isEqualTo(json("""
                {"service.name": "step-4", "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.language": "java",
                 "telemetry.sdk.version": "1.68.0", "cloud.provider": "aws", "faas.invocation_id": "req-1",
                 "workbench": {"emulated": "%s"}}
                """.formatted(SpanSegment.EMULATED)));
    }

    @Test
    void anAwsSdkSpanIsAnAwsSubsegmentNamedAfterTheServiceWithItsOperationInMetadata() {
        ObjectNode s3 = nestedInItsSegment(span("S3.GetObject", SpanKind.SPAN_KIND_CLIENT, "2222222222222222", HANDLER)
                .addAttributes(text("rpc.system", "aws-api"))
                .addAttributes(text("rpc.service", "S3"))
                .addAttributes(text("rpc.method", "GetObject"))
                .addAttributes(text("aws.request_id", "4442587FB7D0A2F9"))
                .addAttributes(text("aws.s3.bucket", "xray-workbook"))
                .addAttributes(text("http.request.method", "GET"))
                .addAttributes(text("url.full", "http://127.0.0.1:4566/xray-workbook/sample_data.json"))
                .addAttributes(number("http.response.status_code", 200)));

        assertThat(s3.path("name").asText()).isEqualTo("S3");
        assertThat(s3.has("type")).isFalse();
        assertThat(s3.has("parent_id")).isFalse();
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("aws")).isEqualTo(json("""
                {"span.kind": "CLIENT", "request_id": "4442587FB7D0A2F9", "s3.bucket": "xray-workbook",
                 "bucket_name": "xray-workbook"}
                """));
        assertThat(s3.path("annotations")).isEqualTo(json("{\"span.kind\": \"CLIENT\", \"span.name\": \"S3.GetObject\"}"));
        assertThat(s3.path("http")).isEqualTo(json("""
                {"request": {"method": "GET", "url": "http://127.0.0.1:4566/xray-workbook/sample_data.json"},
                 "response": {"status": 200}}
                """));
        JsonNode metadata = s3.path("metadata");
        assertThat(metadata.path("rpc.method").asText()).isEqualTo("GetObject");
        assertThat(metadata.path("rpc.service").asText()).isEqualTo("S3");
        assertThat(metadata.path("rpc.system").asText()).isEqualTo("aws-api");
        assertThat(metadata.path("http.response.status_code").asInt()).isEqualTo(200);
        assertThat(metadata.path("service.name").asText()).as("the resource, flat in every entity").isEqualTo("step-4");
        assertThat(metadata.fieldNames()).toIterable().noneMatch(key -> key.startsWith("aws."));
        assertThat(s3.path("fault").asBoolean()).isFalse();
    }

    @Test
    void anotherClientSpanIsARemoteSubsegmentNamedAfterWhatItCalled() {
        ObjectNode call = nestedInItsSegment(span("GET", SpanKind.SPAN_KIND_CLIENT, "2222222222222222", HANDLER)
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
        ObjectNode subsegment = nestedInItsSegment(span("Throwing exception", SpanKind.SPAN_KIND_INTERNAL, "3333333333333333", HANDLER)
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

        assertThat(subsegment.has("namespace")).isFalse();
        assertThat(subsegment.path("annotations")).isEqualTo(json("""
                {"very_important_annotation": "Very very important information", "retries.count": 2,
                 "span.kind": "INTERNAL", "span.name": "Throwing exception"}
                """));
        JsonNode metadata = subsegment.path("metadata");
        assertThat(metadata.path("information"))
                .isEqualTo(json("{\"very_important_inforamtion\": {\"message\": \"Hello I am metadata\"}}"));
        assertThat(metadata.path("not.indexed").asText()).isEqualTo("kept as metadata");
        assertThat(metadata.path("default")).isEqualTo(json("{\"merged\": true}"));
        assertThat(metadata.path("aws.xray.metadata.broken").asText()).isEqualTo("not json");
        assertThat(metadata.has("aws.xray.annotations")).isFalse();
        assertThat(metadata.has("very_important_annotation")).isFalse();
        assertThat(subsegment.path("aws")).isEqualTo(json("{\"span.kind\": \"INTERNAL\"}"));
        assertThat(subsegment.path("fault").asBoolean()).isTrue();
        assertThat(subsegment.path("error").asBoolean()).isFalse();

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
        ObjectNode failed = nestedInItsSegment(span("work", SpanKind.SPAN_KIND_INTERNAL, "4444444444444444", HANDLER)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("it broke")));

        assertThat(failed.path("fault").asBoolean()).isTrue();
        assertThat(failed.path("cause").path("exceptions").get(0).path("message").asText()).isEqualTo("it broke");
    }

    @Test
    void namesAreCutToWhatXRayAcceptsAndAnnotationKeysKeepTheirDots() {
        ObjectNode span = nestedInItsSegment(span("GET /items?id=1 <script>", SpanKind.SPAN_KIND_INTERNAL, "5555555555555555", HANDLER)
                .addAttributes(texts("aws.xray.annotations", "http.route"))
                .addAttributes(text("http.route", "/items")));

        assertThat(span.path("name").asText()).isEqualTo("GET /itemsid=1 script");
        assertThat(span.path("annotations").path("http.route").asText()).isEqualTo("/items");
    }

    @Test
    void storedTheSpansOfAnInvocationAreOneDocumentWithTheClientAndInternalSpansNestedInIt() {
        SpanSegments converted = SpanSegments.of(request(javaFunction(),
                span("Throwing exception", SpanKind.SPAN_KIND_INTERNAL, "3333333333333333", HANDLER),
                span("S3.GetObject", SpanKind.SPAN_KIND_CLIENT, "2222222222222222", HANDLER)
                        .addAttributes(text("rpc.system", "aws-api")).addAttributes(text("rpc.service", "S3")),
                span("handleRequest", SpanKind.SPAN_KIND_SERVER, HANDLER, FUNCTION_SEGMENT)), NOW);

        List<JsonNode> stored = StoredTrace.nest(converted.documents());

        assertThat(stored).singleElement().satisfies(segment -> {
            assertThat(segment.path("id").asText()).isEqualTo(HANDLER);
            assertThat(segment.path("subsegments")).extracting(child -> child.path("name").asText())
                    .containsExactlyInAnyOrder("S3", "Throwing exception");
            assertThat(SCHEMA.violations(segment)).as(segment.toPrettyString()).isEmpty();
        });
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
        ObjectNode call = nestedInItsSegment(span("call", SpanKind.SPAN_KIND_CLIENT, "8888888888888888", HANDLER)
                .addAttributes(number("http.status_code", status))
                .setStatus(Status.newBuilder().setCode(status >= 400
                        ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET)));
        assertThat(call.path("http").path("response").path("status").asLong()).isEqualTo(status);
        return List.of("error", "throttle", "fault").stream().filter(flag -> call.path(flag).asBoolean()).toList();
    }

    /**
     * Converts one span under the handler's SERVER span, and returns it as X-Ray stores it: nested
     * in the segment, which is checked against AWS's schema.
     */
    private static ObjectNode nestedInItsSegment(Span.Builder span) {
        SpanSegments converted = SpanSegments.of(request(javaFunction(), span,
                span("handleRequest", SpanKind.SPAN_KIND_SERVER, HANDLER, FUNCTION_SEGMENT)), NOW);
        assertThat(converted.refused()).isEmpty();
        List<JsonNode> stored = StoredTrace.nest(converted.documents());
        assertThat(stored).hasSize(1);
        assertThat(SCHEMA.violations(stored.get(0))).as(stored.get(0).toPrettyString()).isEmpty();
        return (ObjectNode) stored.get(0).path("subsegments").get(0);
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
