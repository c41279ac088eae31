package io.github.xrayworkbook.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/** The real AWS SDK for Java 2.x SQS client against the embedded server. */
class LocalSqsTest {

    private static final String TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    @Test
    void carriesAMessageAndItsTraceHeaderFromSenderToReceiver() {
        try (LocalSqs sqs = LocalSqs.start(0, "123456789012", "eu-west-1"); SqsClient client = client(sqs)) {
            String queue = client.createQueue(b -> b.queueName("xray-workbook-step-7")).queueUrl();
            assertThat(queue).endsWith("/123456789012/xray-workbook-step-7");

            // The X-Ray header travels as the message system attribute AWSTraceHeader ("Amazon SQS
            // and AWS X-Ray"), which Lambda's event source mapping puts in each record's attributes.
            client.sendMessage(b -> b.queueUrl(queue).messageBody("{\"message\": \"Hello from S3!\"}")
                    .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                            MessageSystemAttributeValue.builder().dataType("String").stringValue(TRACE_HEADER).build())));
            List<Message> received = client.receiveMessage(b -> b.queueUrl(queue)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).waitTimeSeconds(1)).messages();

            assertThat(received).hasSize(1);
            assertThat(received.get(0).body()).isEqualTo("{\"message\": \"Hello from S3!\"}");
            assertThat(received.get(0).attributes()).containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER, TRACE_HEADER);
        }
    }

    @Test
    void refusesAPortInUseWithAnExplanation() throws InterruptedException {
        try (LocalSqs first = LocalSqs.start(0, "123456789012", "eu-west-1")) {
            int port = first.endpoint().getPort();

            assertThatThrownBy(() -> LocalSqs.start(port, "123456789012", "eu-west-1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TCP port " + port + " on 127.0.0.1 is in use:"
                            + " stop whatever holds it or choose another port for the local SQS server");
            // Nothing of the server that could not start keeps running: its actor system's threads
            // end (they may take a moment after its termination is reported).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (threadsOf("local-sqs-" + port + "-") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(threadsOf("local-sqs-" + port + "-")).isZero();
        }
    }

    private static long threadsOf(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith(prefix)).count();
    }

    private static SqsClient client(LocalSqs sqs) {
        return SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
