package io.github.xrayworkbook.step3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubsegmentHandlerTest {

    static final String BUCKET = "xray-workbook-step-3";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    private final SubsegmentHandler handler =
            new SubsegmentHandler(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "us-east-2"));

    @Test
    void failsOnPurposeWithTheExceptionFromTheSubsegment() {
        aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("Information");
    }

    @Test
    void recordsTheS3CallThenTheSubsegmentWithAnnotationMetadataAndException() {
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null)).hasMessage("Information");

        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3", "Throwing exception");
        assertThat(sent).allSatisfy(document -> {
            assertThat(document.isSubsegment()).isTrue();
            assertThat(document.traceId()).isEqualTo(trace.root());
            assertThat(document.parentId()).contains(trace.parent());
        });

        JsonNode s3 = sent.get(0).json();
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);

        JsonNode subsegment = sent.get(1).json();
        assertThat(subsegment.has("namespace")).isFalse();
        assertThat(subsegment.path("start_time").asDouble())
                .isGreaterThanOrEqualTo(s3.path("end_time").asDouble())
                .isLessThanOrEqualTo(subsegment.path("end_time").asDouble());
        assertThat(subsegment.path("annotations").path("very_important_annotation").asText())
                .isEqualTo("Very very important information");
        assertThat(subsegment.path("annotations").size()).isEqualTo(1);
        assertThat(subsegment.path("metadata").path("information").path("very_important_inforamtion"))
                .isEqualTo(aws.json("{\"message\": \"Hello I am metadata\"}"));
        assertThat(subsegment.path("fault").asBoolean()).isTrue();
        assertThat(subsegment.has("error")).isFalse();

        JsonNode exceptions = subsegment.path("cause").path("exceptions");
        assertThat(exceptions).hasSize(1);
        JsonNode exception = exceptions.get(0);
        assertThat(exception.path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(exception.path("message").asText()).isEqualTo("Information");
        assertThat(exception.path("id").asText()).matches("[0-9a-f]{16}");
        assertThat(exception.path("stack").path(0).path("label").asText())
                .isEqualTo("io.github.xrayworkbook.step3.SubsegmentHandler.failOnPurpose");
        assertThat(subsegment.path("cause").path("working_directory").asText()).isNotBlank();
    }

    @Test
    void aCaughtExceptionLeavesTheFaultOnTheSubsegmentAndTheInvocationSucceeds() {
        TraceHeader trace = aws.beginInvocation(true);

        Map<String, Object> answer = new CaughtExceptionHandler(handler).handleRequest(Map.of(), null);

        assertThat(answer).containsEntry("statusCode", 200).containsEntry("body", "Caught: Information");
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3", "Throwing exception");
        JsonNode subsegment = sent.get(1).json();
        assertThat(subsegment.path("fault").asBoolean()).isTrue();
        assertThat(subsegment.path("cause").path("exceptions").path(0).path("message").asText())
                .isEqualTo("Information");
        // Only subsegments are sent from inside Lambda: the function segment is Lambda's to mark.
        assertThat(sent).allMatch(SegmentDocument::isSubsegment);
    }

    @Test
    void anUnsampledInvocationStillFailsButSendsNothing() {
        TraceHeader trace = aws.beginInvocation(false);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null)).hasMessage("Information");

        assertThat(aws.documentsSent(trace)).isEmpty();
    }
}
