package io.github.xrayworkbook.step7;

import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends one message to the queue in {@code QUEUE_URL}.
 *
 * <p>As in step 2, nothing here mentions X-Ray: the instrumentor jar traces this client too. Its
 * interceptor adds the {@code X-Amzn-Trace-Id} header to the {@code SendMessage} request, and SQS
 * keeps it with the message as the {@code AWSTraceHeader} system attribute.
 */
public final class MessageSender {

    private final SqsClient sqs;
    private final String queueUrl;

    public MessageSender(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Reads {@code QUEUE_URL} (required) and the {@code AWS_REGION} Lambda sets. */
    public static MessageSender fromEnvironment(Map<String, String> environment) {
        String queueUrl = required(environment, "QUEUE_URL", "the URL of the queue the consumer reads");
        String region = required(environment, "AWS_REGION", "the queue's region, e.g. eu-west-1");
        // tag::client[]
        SqsClient sqs = SqsClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        // end::client[]
        return new MessageSender(sqs, queueUrl);
    }

    // tag::send[]
    /** Sends {@code body} and returns the id SQS gave the message. */
    public String send(String body) {
        return sqs.sendMessage(message -> message.queueUrl(queueUrl).messageBody(body)).messageId();
    }
    // end::send[]

    private static String required(Map<String, String> environment, String name, String meaning) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: set it to " + meaning);
        }
        return value;
    }
}
