package io.github.xrayworkbook.step7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue's function against the embedded S3 server, with events shaped as Lambda's SQS poller sends them. */
class QueueHandlerTest {

    static final String BUCKET = "xray-workbook-step-7";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    @Test
    void readsS3OncePerMessageInTheConsumersOwnTrace() {
        QueueHandler handler = new QueueHandler(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1"));
        TraceHeader trace = aws.beginInvocation(true);

        assertThat(handler.handleRequest(event("{\"greeting\":\"hi\"}", "{}"), null)).isNull();

        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3", "S3");
        for (SegmentDocument s3 : sent) {
            JsonNode json = s3.json();
            assertThat(s3.parentId()).contains(trace.parent());
            assertThat(json.path("aws").path("operation").asText()).isEqualTo("GetObject");
            assertThat(json.path("aws").path("bucket_name").asText()).isEqualTo(BUCKET);
        }
    }

    @Test
    void aMessageThatIsNotJsonFailsTheBatchNamingTheMessage() {
        QueueHandler handler = new QueueHandler(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1"));
        aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(event("not json"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Message message-0 is not valid JSON: ");
        assertThatThrownBy(() -> handler.handleRequest(event("[1, 2]"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message message-0 is not a JSON object");
    }

    private static SQSEvent event(String... bodies) {
        SQSEvent event = new SQSEvent();
        event.setRecords(new java.util.ArrayList<>());
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("message-" + i);
            message.setBody(bodies[i]);
            event.getRecords().add(message);
        }
        return event;
    }
}
