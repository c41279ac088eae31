package io.github.xrayworkbook.step4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenTelemetryHandlerTest {

    static final String BUCKET = "xray-workbook-step-4";
    static final String FUNCTION = "xray-workbook-step-4";
    static final String ARN = "arn:aws:lambda:us-east-2:123456789012:function:" + FUNCTION;
    static final HexFormat HEX = HexFormat.of();

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    static final SpanCapture capture = new SpanCapture();

    @BeforeAll
    static void seedBucket() {
        aws.s3().createBucket(BUCKET);
        aws.s3().putObject(BUCKET, "sample_data.json", "{\"message\": \"Hello from S3!\"}");
    }

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
                "AWS_LAMBDA_FUNCTION_NAME", FUNCTION, "AWS_XRAY_DAEMON_ADDRESS", daemonAddress));
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
                    "cloud.platform", "aws_lambda", "cloud.region", "us-east-2",
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
    void theLocalDaemonTurnsTheSpansIntoTheSegmentsXRayWouldStore() {
        OpenTelemetryHandler handler = handlerSendingTo(LocalAwsExtension.daemon().address());
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), context("r-5"))).hasMessage("Information");

        // documentsSent checks each document against AWS's schema.
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3", "Throwing exception", FUNCTION);
        SegmentDocument s3 = sent.get(0);
        SegmentDocument throwing = sent.get(1);
        SegmentDocument function = sent.get(2);
        assertThat(function.isSubsegment()).isFalse();
        assertThat(function.parentId()).contains(trace.parent());
        assertThat(function.json().path("fault").asBoolean()).isTrue();
        assertThat(List.of(s3, throwing)).allSatisfy(document -> {
            assertThat(document.isSubsegment()).isTrue();
            assertThat(document.parentId()).contains(function.id());
        });
        assertThat(sent).allSatisfy(document -> {
            assertThat(document.traceId()).isEqualTo(trace.root());
            assertThat(document.json().path("metadata").path("workbench").path("emulated").asText()).isNotBlank();
        });

        JsonNode s3Json = s3.json();
        assertThat(s3Json.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3Json.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3Json.path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(s3Json.path("metadata").path("default").path("aws.s3.bucket").asText()).isEqualTo(BUCKET);

        JsonNode throwingJson = throwing.json();
        assertThat(throwingJson.path("annotations"))
                .isEqualTo(aws.json("{\"very_important_annotation\": \"Very very important information\"}"));
        assertThat(throwingJson.path("metadata").path("information").path("very_important_inforamtion"))
                .isEqualTo(aws.json("{\"message\": \"Hello I am metadata\"}"));
        assertThat(throwingJson.path("fault").asBoolean()).isTrue();
        assertThat(throwingJson.has("error")).isFalse();
        JsonNode exception = throwingJson.path("cause").path("exceptions").get(0);
        assertThat(exception.path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(exception.path("message").asText()).isEqualTo("Information");
        assertThat(exception.path("stack").path(0).path("label").asText())
                .isEqualTo("io.github.xrayworkbook.step4.OpenTelemetryHandler.throwingException");
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
