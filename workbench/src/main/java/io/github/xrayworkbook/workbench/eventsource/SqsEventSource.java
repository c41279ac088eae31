package io.github.xrayworkbook.workbench.eventsource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's event source mapping for an SQS queue, as a stand-in: it polls the queue with the real
 * SDK client, hands each batch to the function as Lambda's SQS event (records with
 * {@code attributes.AWSTraceHeader}), deletes the batch when the function succeeds, and leaves it
 * when the function fails, so that the queue hands it out again after its visibility timeout and,
 * after its {@code maxReceiveCount}, moves it to the dead-letter queue. The event's shape and the
 * retry rules: AWS's "Using Lambda with Amazon SQS" (with-sqs). Each invocation starts a new trace:
 * "Tracing event-driven applications" (xray-tracelinking).
 */
public final class SqsEventSource {

    /**
     * One batch handed to the function.
     *
     * @param received when the poller received it, which ends the messages' dwell time in the queue
     * @param messages each message's id, receive count and the trace header it carried
     * @param invocation what invoking the function gave
     */
    public record Delivery<T>(Instant received, List<Sent> messages, T invocation) {

        /**
         * @param header what {@code AWSTraceHeader} said, or nothing
         * @param unreadable why a header that was there could not be read
         */
        public record Sent(String messageId, int receiveCount, Optional<TraceHeader.Received> header,
                           Optional<String> unreadable) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final int batchSize;

    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region, int batchSize) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.batchSize = batchSize;
    }

    /**
     * Delivers until the queue holds no message, visible or in flight, or until {@code patience}
     * has passed.
     */
    public <T> List<Delivery<T>> drain(Function<byte[], T> function, Predicate<T> succeeded, Duration patience) {
        List<Delivery<T>> deliveries = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                if (empty()) {
                    return deliveries;
                }
                continue;
            }
            Instant received = Instant.now();
            T invocation = function.apply(event(batch));
            if (succeeded.test(invocation)) {
                sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(batch.stream()
                        .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                                .receiptHandle(m.receiptHandle()).build()).toList()));
            }
            deliveries.add(new Delivery<>(received, batch.stream().map(SqsEventSource::sent).toList(), invocation));
        }
        return deliveries;
    }

    private boolean empty() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().allMatch("0"::equals);
    }

    private static Delivery.Sent sent(Message message) {
        int count = Integer.parseInt(message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
        String header = message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER);
        if (header == null) {
            return new Delivery.Sent(message.messageId(), count, Optional.empty(), Optional.empty());
        }
        try {
            return new Delivery.Sent(message.messageId(), count, Optional.of(TraceHeader.parse(header)), Optional.empty());
        } catch (IllegalArgumentException e) {
            return new Delivery.Sent(message.messageId(), count, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** The event Lambda sends for a batch: one record per message. */
    private byte[] event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name);
                attribute.put("stringValue", value.stringValue());
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
                attribute.put("dataType", value.dataType());
            });
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
