package io.github.xrayworkbook.step7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.sqs.LocalSqs;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The API's function against the embedded SQS server, its SDK documents through the local daemon. */
class ApiHandlerTest {

    static final String REGION = "eu-west-1";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    static LocalSqs sqs;
    static SqsClient reader;
    static String queueUrl;

    @BeforeAll
    static void startQueue() {
        sqs = LocalSqs.start(0, "123456789012", REGION);
        System.setProperty("aws.endpointUrlSqs", sqs.endpoint().toString());
        reader = SqsClient.builder().region(Region.of(REGION)).build();
        queueUrl = reader.createQueue(b -> b.queueName("xray-workbook-step-7")).queueUrl();
    }

    @AfterAll
    static void stopQueue() {
        reader.close();
        System.clearProperty("aws.endpointUrlSqs");
        sqs.close();
    }

    @Test
    void queuesTheBodyAnswers202AndTheMessageCarriesTheSqsSubsegmentsTraceHeader() {
        ApiHandler handler = new ApiHandler(Map.of("QUEUE_URL", queueUrl, "AWS_REGION", REGION));
        TraceHeader trace = aws.beginInvocation(true);

        APIGatewayProxyResponseEvent response = handler.handleRequest(
                new APIGatewayProxyRequestEvent().withHttpMethod("POST").withBody("{\"greeting\":\"hi\"}"), null);

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        String messageId = aws.json(response.getBody()).path("messageId").asText();
        assertThat(messageId).isNotBlank();

        // The X-Ray SDK names an SDK v2 call's subsegment after the client's service name: "Sqs", where
        // step 2's is "S3"; X-Ray's map shows the queue itself as an inferred AWS::SQS::Queue node.
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("Sqs");
        SegmentDocument sqsCall = sent.get(0);
        assertThat(sqsCall.parentId()).contains(trace.parent());
        JsonNode json = sqsCall.json();
        assertThat(json.path("namespace").asText()).isEqualTo("aws");
        assertThat(json.path("aws").path("operation").asText()).isEqualTo("SendMessage");
        assertThat(json.path("aws").path("queue_url").asText()).isEqualTo(queueUrl);
        assertThat(json.path("aws").path("message_id").asText()).isEqualTo(messageId);
        assertThat(json.path("aws").path("region").asText()).isEqualTo(REGION);
        assertThat(json.path("http").path("response").path("status").asInt()).isEqualTo(200);

        // SQS keeps the header of the SendMessage request with the message: the consumer's link back.
        Message message = receive();
        assertThat(message.messageId()).isEqualTo(messageId);
        assertThat(message.body()).isEqualTo("{\"greeting\":\"hi\"}");
        assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER,
                "Root=" + trace.root() + ";Parent=" + sqsCall.id() + ";Sampled=1");
    }

    @Test
    void anUnsampledRequestQueuesAMessageWhoseHeaderSaysSo() {
        ApiHandler handler = new ApiHandler(Map.of("QUEUE_URL", queueUrl, "AWS_REGION", REGION));
        TraceHeader trace = aws.beginInvocation(false);

        handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST"), null);

        assertThat(aws.documentsSent(trace)).isEmpty();
        Message message = receive();
        assertThat(message.body()).isEqualTo("{}");
        assertThat(message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER))
                .startsWith("Root=" + trace.root() + ";").endsWith(";Sampled=0");
    }

    @Test
    void aMissingQueueUrlStopsTheFunctionAtStartWithAClearMessage() {
        assertThatThrownBy(() -> new ApiHandler(Map.of("AWS_REGION", REGION)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("QUEUE_URL is not set: set it to the URL of the queue the consumer reads");
    }

    private static Message receive() {
        List<Message> messages = reader.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(messages).hasSize(1);
        reader.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
        return messages.get(0);
    }
}
