package io.github.xrayworkbook.workbench.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.sqs.LocalSqs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The stand-in event source mapping against ElasticMQ, with a function that only records its events. */
class SqsEventSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    static LocalSqs server;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = LocalSqs.start(0, "123456789012", "eu-west-1");
        sqs = SqsClient.builder().endpointOverride(server.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.close();
    }

    @Test
    void handsABatchOverAsLambdasSqsEventAndDeletesItWhenTheFunctionSucceeds() {
        String queue = queue("ok", Map.of());
        send(queue, "{\"n\":1}", HEADER);
        send(queue, "{\"n\":2}", null);

        List<SqsEventSource.Delivery<JsonNode>> deliveries = source(queue).drain(SqsEventSourceTest::read,
                event -> true, Duration.ofSeconds(20));

        assertThat(deliveries).hasSize(1);
        JsonNode records = deliveries.get(0).invocation().path("Records");
        assertThat(records).hasSize(2);
        JsonNode first = records.get(0);
        assertThat(first.path("body").asText()).isEqualTo("{\"n\":1}");
        assertThat(first.path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(first.path("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:ok");
        assertThat(first.path("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(first.path("md5OfBody").asText()).matches("[0-9a-f]{32}");
        assertThat(first.path("receiptHandle").asText()).isNotBlank();
        assertThat(first.path("attributes").path("AWSTraceHeader").asText()).isEqualTo(HEADER);
        assertThat(first.path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(first.path("attributes").path("SentTimestamp").asText()).matches("[0-9]{13}");
        // A message sent without a trace header has none, as SQS keeps AWSTraceHeader only when the
        // sender passes one. (Beside an X-Ray SDK's interceptor, which every SDK client on its
        // classpath picks up, the sender would have passed a new root of the SDK's own.)
        assertThat(records.get(1).path("attributes").has("AWSTraceHeader")).isFalse();
        assertThat(deliveries.get(0).messages()).extracting(m -> m.header().flatMap(h -> h.parent()).orElse("none"))
                .containsExactly("53995c3f42cd8ad8", "none");
        assertThat(visibleOrInFlight(queue)).isZero();
    }

    @Test
    void aBatchTheFunctionFailsOnComesBackUntilTheQueueMovesItToTheDeadLetterQueue() {
        String deadLetters = queue("dead", Map.of());
        String arn = sqs.getQueueAttributes(q -> q.queueUrl(deadLetters).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queue = queue("poison", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"3\"}"));
        send(queue, "not json", HEADER);

        List<SqsEventSource.Delivery<JsonNode>> deliveries = source(queue).drain(SqsEventSourceTest::read,
                event -> false, Duration.ofSeconds(30));

        assertThat(deliveries).extracting(d -> d.messages().get(0).receiveCount()).containsExactly(1, 2, 3);
        assertThat(visibleOrInFlight(queue)).isZero();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(deadLetters).waitTimeSeconds(1)).messages())
                .extracting(m -> m.body()).containsExactly("not json");
    }

    @Test
    void aMalformedTraceHeaderIsHandedOverAsItIsAndSaidWhyItLinksNothing() {
        String queue = queue("malformed", Map.of());
        send(queue, "{}", "Root=1-nonsense;Sampled=1");

        SqsEventSource.Delivery<JsonNode> delivery = source(queue).drain(SqsEventSourceTest::read, event -> true,
                Duration.ofSeconds(20)).get(0);

        assertThat(delivery.invocation().path("Records").get(0).path("attributes").path("AWSTraceHeader").asText())
                .isEqualTo("Root=1-nonsense;Sampled=1");
        SqsEventSource.Delivery.Sent sent = delivery.messages().get(0);
        assertThat(sent.header()).isEmpty();
        assertThat(sent.unreadable()).contains("'Root=1-nonsense;Sampled=1' is not a trace header: its Root must be"
                + " 1-<8 hex digits>-<24 hex digits>, not '1-nonsense'");
    }

    private static SqsEventSource source(String queue) {
        String arn = sqs.getQueueAttributes(q -> q.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new SqsEventSource(sqs, queue, arn, "eu-west-1", 10);
    }

    private static String queue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(q -> q.queueName(name).attributes(attributes)).queueUrl();
    }

    private static void send(String queue, String body, String header) {
        sqs.sendMessage(m -> {
            m.queueUrl(queue).messageBody(body);
            if (header != null) {
                m.messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder().dataType("String").stringValue(header).build()));
            }
        });
    }

    private static int visibleOrInFlight(String queue) {
        return sqs.getQueueAttributes(q -> q.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes().values().stream()
                .mapToInt(Integer::parseInt).sum();
    }

    private static JsonNode read(byte[] event) {
        try {
            return JSON.readTree(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
