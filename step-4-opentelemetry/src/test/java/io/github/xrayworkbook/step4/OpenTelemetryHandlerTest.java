package io.github.xrayworkbook.step4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.junit.SpanCapture;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.xrayudp.XRayUdpSpanExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenTelemetryHandlerTest {

    static final String BUCKET = "xray-workbook-step-4";
    static final String FUNCTION = "xray-workbook-step-4";
    static final String ARN = "arn:aws:lambda:us-east-2:123456789012:function:" + FUNCTION;
    static final HexFormat HEX = HexFormat.of();

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    static final SpanCapture capture = new SpanCapture();

    @AfterAll
    static void closeCapture() {
        capture.close();
    }

    @BeforeEach
    void forgetEarlierDatagrams() {
        capture.clear();
    }

    /** A function whose spans go to the capture socket, to be checked as they were sent. */
    private static OpenTelemetryHandler handlerSendingTo(String daemonAddress) {
        return new OpenTelemetryHandler(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "us-east-2",
                "AWS_LAMBDA_FUNCTION_NAME", FUNCTION, "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION,
                "AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[$LATEST]0123456789abcdef",
                "AWS_XRAY_DAEMON_ADDRESS", daemonAddress));
    }

    private static TestContext context(String requestId) {
        return new TestContext(requestId, FUNCTION, ARN);
    }

    @Test
    void failsOnPurposeWithTheExceptionFromTheSpan() {
        aws.beginInvocation(true);

        assertThatThrownBy(() -> handlerSendingTo(capture.address()).handleRequest(Map.of(), context("r-0")))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("Information");
    }

    @Test
    void sendsTheInvocationSpanTheS3CallAndTheFailingSpanInTheWireFormat() {
        OpenTelemetryHandler handler = handlerSendingTo(capture.address());
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), context("r-1"))).hasMessage("Information");

        List<SpanCapture.Datagram> datagrams = capture.received();
        // SimpleSpanProcessor: one datagram per span, sent as the span ends.
        assertThat(datagrams).hasSize(3).allSatisfy(datagram -> {
            assertThat(datagram.prefix()).isEqualTo("T1S");
            assertThat(datagram.bytes()).isLessThanOrEqualTo(XRayUdpSpanExporter.MAX_DATAGRAM_BYTES);
            assertThat(datagram.spans()).hasSize(1);
            assertThat(attributes(datagram.resource().getAttributesList())).containsAllEntriesOf(Map.of(
                    "service.name", FUNCTION, "faas.name", FUNCTION, "cloud.provider", "aws",
                    "cloud.platform", "aws_lambda", "cloud.region", "us-east-2", "faas.version", "$LATEST",
                    "faas.instance", "2026/12/01/[$LATEST]0123456789abcdef",
                    "aws.log.group.names", "/aws/lambda/" + FUNCTION,
                    "telemetry.sdk.language", "java", "telemetry.sdk.name", "opentelemetry"));
        });
        Span s3 = datagrams.get(0).spans().get(0);
        Span throwing = datagrams.get(1).spans().get(0);
        Span invocation = datagrams.get(2).spans().get(0);
        String traceId = trace.root().substring(2).replace("-", "");
        assertThat(List.of(s3, throwing, invocation)).allSatisfy(span -> {
            assertThat(HEX.formatHex(span.getTraceId().toByteArray())).isEqualTo(traceId);
            assertThat(HEX.formatHex(span.getSpanId().toByteArray())).matches("[0-9a-f]{16}");
            assertThat(span.getEndTimeUnixNano()).isGreaterThanOrEqualTo(span.getStartTimeUnixNano());
        });

        // The handler's span: a child of Lambda's function segment, named after the function.
        assertThat(invocation.getName()).isEqualTo(FUNCTION);
        assertThat(invocation.getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(HEX.formatHex(invocation.getParentSpanId().toByteArray())).isEqualTo(trace.parent());
        assertThat(attributes(invocation.getAttributesList())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "faas.coldstart", "true", "faas.invocation_id", "r-1", "cloud.resource_id", ARN));
        assertThat(invocation.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        assertThat(invocation.getStatus().getMessage()).isEqualTo("Information");
        assertException(invocation);
        String invocationId = HEX.formatHex(invocation.getSpanId().toByteArray());

        // The S3 call, traced by OpenTelemetry's AWS SDK interceptor.
        assertThat(s3.getName()).isEqualTo("S3.GetObject");
        assertThat(s3.getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(HEX.formatHex(s3.getParentSpanId().toByteArray())).isEqualTo(invocationId);
        Map<String, String> s3Attributes = attributes(s3.getAttributesList());
        assertThat(s3Attributes).containsAllEntriesOf(Map.of(
                "rpc.system", "aws-api", "rpc.service", "S3", "rpc.method", "GetObject",
                "aws.s3.bucket", BUCKET, "http.request.method", "GET", "http.response.status_code", "200"));
        assertThat(s3Attributes.get("aws.request_id")).isNotBlank();
        assertThat(s3.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
        assertThat(s3.getEventsList()).isEmpty();
        assertThat(s3.getStartTimeUnixNano()).isGreaterThanOrEqualTo(invocation.getStartTimeUnixNano());

        // The span of our own, with the annotation, the metadata and the exception.
        assertThat(throwing.getName()).isEqualTo("Throwing exception");
        assertThat(throwing.getKind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
        assertThat(HEX.formatHex(throwing.getParentSpanId().toByteArray())).isEqualTo(invocationId);
        assertThat(attributes(throwing.getAttributesList())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "very_important_annotation", "Very very important information",
                "aws.xray.annotations", "[very_important_annotation]",
                "aws.xray.metadata.information",
                "{\"very_important_inforamtion\": {\"message\": \"Hello I am metadata\"}}"));
        assertThat(throwing.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        assertThat(throwing.getStatus().getMessage()).isEqualTo("Information");
        assertException(throwing);
        assertThat(throwing.getStartTimeUnixNano()).isGreaterThanOrEqualTo(s3.getEndTimeUnixNano());
        assertThat(invocation.getEndTimeUnixNano()).isGreaterThanOrEqualTo(throwing.getEndTimeUnixNano());
    }

    @Test
    void twoRequestsAtOnceInOneProcessEachJoinTheTraceInTheirOwnContext() throws Exception {
        OpenTelemetryHandler handler = handlerSendingTo(capture.address());
        // The process-wide property holds a third trace, as it would hold one request's header only.
        TraceHeader processWide = aws.beginInvocation(true);
        List<TraceHeader> requests = List.of(TraceHeader.newTrace(true), TraceHeader.newTrace(true));
        CyclicBarrier together = new CyclicBarrier(requests.size());
        ExecutorService threads = Executors.newFixedThreadPool(requests.size());
        try {
            List<Future<Throwable>> runs = new ArrayList<>();
            for (TraceHeader request : requests) {
                runs.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    Throwable failure = catchThrowable(() -> handler.handleRequest(Map.of(),
                            new TestContext("r-" + request.parent(), FUNCTION, ARN, request.toString())));
                    return failure;
                }));
            }
            for (Future<Throwable> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).hasMessage("Information");
            }
        } finally {
            threads.shutdownNow();
        }

        Map<String, List<Span>> byTrace = capture.received().stream().flatMap(datagram -> datagram.spans().stream())
                .collect(Collectors.groupingBy(span -> HEX.formatHex(span.getTraceId().toByteArray())));
        assertThat(byTrace).doesNotContainKey(hexTraceId(processWide)).hasSize(requests.size());
        for (TraceHeader request : requests) {
            List<Span> spans = byTrace.get(hexTraceId(request));
            assertThat(spans).extracting(Span::getName)
                    .containsExactlyInAnyOrder("S3.GetObject", "Throwing exception", FUNCTION);
            Span invocation = spans.stream().filter(span -> span.getKind() == SpanKind.SPAN_KIND_SERVER)
                    .findFirst().orElseThrow();
            assertThat(HEX.formatHex(invocation.getParentSpanId().toByteArray())).isEqualTo(request.parent());
            assertThat(attributes(invocation.getAttributesList())).containsEntry("faas.invocation_id", "r-" + request.parent());
        }
    }

    private static String hexTraceId(TraceHeader trace) {
        return trace.root().substring(2).replace("-", "");
    }

    @Test
    void onlyTheFirstInvocationOfAnEnvironmentIsAColdStart() {
        OpenTelemetryHandler handler = handlerSendingTo(capture.address());
        for (String requestId : List.of("r-2", "r-3")) {
            aws.beginInvocation(true);
            assertThatThrownBy(() -> handler.handleRequest(Map.of(), context(requestId))).hasMessage("Information");
        }

        List<String> coldStarts = capture.received().stream()
                .flatMap(datagram -> datagram.spans().stream())
                .filter(span -> span.getKind() == SpanKind.SPAN_KIND_SERVER)
                .map(span -> attributes(span.getAttributesList()).get("faas.coldstart"))
                .toList();
        assertThat(coldStarts).containsExactly("true", "false");
    }

    @Test
    void anUnsampledInvocationStillFailsButSendsNothing() {
        OpenTelemetryHandler handler = handlerSendingTo(capture.address());
        aws.beginInvocation(false);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), context("r-4"))).hasMessage("Information");

        assertThat(capture.received()).isEmpty();
    }

    @Test
    void theLocalDaemonTurnsTheSpansIntoTheDocumentXRayWouldStore() {
        OpenTelemetryHandler handler = handlerSendingTo(LocalAwsExtension.daemon().address());
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), context("r-5"))).hasMessage("Information");

        // One span a datagram, converted one by one...
        assertThat(aws.documentsSent(trace)).extracting(SegmentDocument::name)
                .containsExactly("S3", "Throwing exception", FUNCTION);
        // ...and stored as one document: the handler's segment, under Lambda's function segment,
        // with its client and internal spans nested in it. documentsStored checks it against AWS's schema.
        JsonNode function = single(aws.documentsStored(trace));
        assertThat(function.path("name").asText()).isEqualTo(FUNCTION);
        assertThat(function.path("parent_id").asText()).isEqualTo(trace.parent());
        assertThat(function.has("type")).isFalse();
        assertThat(function.path("fault").asBoolean()).isTrue();
        assertThat(function.path("error").asBoolean()).isFalse();
        assertThat(function.path("aws").path("span.kind").asText()).isEqualTo("SERVER");
        assertThat(function.path("aws").path("xray").path("sdk").asText()).isEqualTo("opentelemetry for java");
        assertThat(function.path("annotations").path("span.name").asText()).isEqualTo(FUNCTION);
        JsonNode metadata = function.path("metadata");
        assertThat(metadata.path("service.name").asText()).isEqualTo(FUNCTION);
        assertThat(metadata.path("cloud.platform").asText()).isEqualTo("aws_lambda");
        assertThat(metadata.path("faas.invocation_id").asText()).isEqualTo("r-5");
        assertThat(metadata.path("workbench").path("emulated").asText()).isNotBlank();
        assertThat(function.path("subsegments")).extracting(child -> child.path("name").asText())
                .containsExactly("S3", "Throwing exception");

        JsonNode s3 = function.path("subsegments").get(0);
        assertThat(s3.has("trace_id") || s3.has("parent_id") || s3.has("type")).isFalse();
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("metadata").path("rpc.method").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("bucket_name").asText()).isEqualTo(BUCKET);
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);

        JsonNode throwing = function.path("subsegments").get(1);
        assertThat(throwing.path("annotations")).isEqualTo(aws.json("""
                {"very_important_annotation": "Very very important information",
                 "span.kind": "INTERNAL", "span.name": "Throwing exception"}
                """));
        assertThat(throwing.path("metadata").path("information").path("very_important_inforamtion"))
                .isEqualTo(aws.json("{\"message\": \"Hello I am metadata\"}"));
        assertThat(throwing.path("fault").asBoolean()).isTrue();
        assertThat(throwing.path("error").asBoolean()).isFalse();
        JsonNode exception = throwing.path("cause").path("exceptions").get(0);
        assertThat(exception.path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(exception.path("message").asText()).isEqualTo("Information");
        assertThat(exception.path("stack").path(0).path("label").asText())
                .isEqualTo("io.github.xrayworkbook.step4.OpenTelemetryHandler.throwingException");
    }

    private static JsonNode single(List<JsonNode> documents) {
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    private static void assertException(Span span) {
        assertThat(span.getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            Map<String, String> attributes = attributes(event.getAttributesList());
            assertThat(attributes).containsEntry("exception.type", "java.lang.RuntimeException")
                    .containsEntry("exception.message", "Information");
            assertThat(attributes.get("exception.stacktrace"))
                    .startsWith("java.lang.RuntimeException: Information")
                    .contains("\tat io.github.xrayworkbook.step4.OpenTelemetryHandler.throwingException(");
        });
    }

    /** Attributes as text, arrays as [a, b], for comparing whole sets at once. */
    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> text = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            text.put(attribute.getKey(), text(attribute.getValue()));
        }
        return text;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream()
                    .map(OpenTelemetryHandlerTest::text).collect(Collectors.joining(", ", "[", "]"));
            default -> value.toString();
        };
    }
}
