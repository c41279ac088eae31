package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The link X-Ray stores between the trace of a function that sent a message to an SQS queue and
 * the new trace of the function Lambda invoked with it ("Tracing event-driven applications",
 * xray-tracelinking). Its form comes from the one stored trace with links we found
 * (awslabs/aws-iatk, {@code internal/pkg/xray/testdata/traceWithLinks01.json}, kept as
 * {@code real-traces/producer-links.json}): on the producer's side, in the function's invocation
 * record ({@code Invocation} in the legacy structure; in the current one, which has no such
 * subsegment, the function segment), an entry of {@code links} with the consumer's trace id, the
 * id of its {@code AWS::Lambda} segment and reserved attributes: the consumer's name and type,
 * when it received the event, and {@code reference_type: child}. What X-Ray stores on the
 * consumer's side is in no document we found: the workbench writes nothing there.
 */
public final class TraceLinks {

    public static final String REFERENCE_TYPE = "aws.xray.reserved.reference_type";
    public static final String NAMES = "aws.xray.reserved.names";
    public static final String TYPE = "aws.xray.reserved.type";

    private TraceLinks() {
    }

    /**
     * Adds to the producer's trace a link to the consumer's.
     *
     * @param received when the consumer's event source received the message
     * @return false if the producer's trace has no Lambda function segment to hold it
     */
    public static boolean link(Trace producer, Trace consumer, String consumerName, Instant received) {
        Optional<ObjectNode> holder = holder(producer);
        Optional<String> consumerSegment = consumer.documents().stream()
                .filter(d -> "AWS::Lambda".equals(d.path("origin").asText())).map(d -> d.path("id").asText()).findFirst();
        if (holder.isEmpty() || consumerSegment.isEmpty()) {
            return false;
        }
        ArrayNode links = holder.get().has("links") ? (ArrayNode) holder.get().get("links") : holder.get().putArray("links");
        ObjectNode link = links.addObject();
        link.put("trace_id", consumer.id());
        link.put("id", consumerSegment.get());
        ObjectNode attributes = link.putObject("attributes");
        attributes.putArray(NAMES).add(consumerName);
        attributes.put("aws.xray.reserved.received_event_end_time", LambdaSegments.seconds(received));
        attributes.put(TYPE, "AWS::Lambda");
        attributes.put("aws.xray.reserved.dwell_end_time", LambdaSegments.seconds(received));
        attributes.put(REFERENCE_TYPE, "child");
        return true;
    }

    private static Optional<ObjectNode> holder(Trace producer) {
        for (JsonNode document : producer.documents()) {
            if ("AWS::Lambda::Function".equals(document.path("origin").asText())) {
                for (JsonNode subsegment : document.path("subsegments")) {
                    if ("Invocation".equals(subsegment.path("name").asText()) && Emulated.isLabelled(subsegment)) {
                        return Optional.of((ObjectNode) subsegment);
                    }
                }
                return Optional.of((ObjectNode) document);
            }
        }
        return Optional.empty();
    }
}
