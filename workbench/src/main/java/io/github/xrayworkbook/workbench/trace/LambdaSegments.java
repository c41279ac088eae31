package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.workbench.runtime.FunctionConfig;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the two segments the Lambda service records for a traced invocation, which no SDK in the
 * function can send: the {@code AWS::Lambda} segment (the service accepting the request) and the
 * {@code AWS::Lambda::Function} segment (the function's environment), with {@code Initialization}
 * on a cold start, {@code Invocation} holding what the SDK sent, and {@code Overhead}. Times come
 * from what really happened; each document is labelled as emulated in its metadata.
 */
public final class LambdaSegments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaSegments() {
    }

    public static Trace assemble(FunctionConfig function, Invocation invocation, List<SegmentDocument> sdkDocuments) {
        TraceHeader header = invocation.trace();
        Instant functionStart = invocation.initStarted().orElse(invocation.dispatched());

        ObjectNode service = segment(function, header, TraceHeader.newEntityId(), "AWS::Lambda",
                invocation.received(), invocation.outcome().at());
        service.putObject("http").putObject("response").put("status", 200);
        service.putObject("aws").put("request_id", invocation.requestId());

        ObjectNode functionSegment = segment(function, header, header.parent(), "AWS::Lambda::Function",
                functionStart, invocation.nextPoll());
        functionSegment.put("parent_id", service.path("id").asText());
        functionSegment.putObject("aws").put("account_id", FunctionConfig.ACCOUNT_ID)
                .put("function_arn", function.arn()).put("resource_names", function.name());

        ArrayNode subsegments = functionSegment.putArray("subsegments");
        invocation.initStarted().ifPresent(start ->
                subsegments.add(subsegment("Initialization", start, invocation.dispatched())));
        ObjectNode invocationSubsegment = subsegment("Invocation", invocation.dispatched(), invocation.outcome().at());
        subsegments.add(invocationSubsegment);
        if (!sdkDocuments.isEmpty()) {
            ArrayNode nested = invocationSubsegment.putArray("subsegments");
            for (SegmentDocument document : sdkDocuments) {
                ObjectNode copy = document.json().deepCopy();
                copy.remove(List.of("type", "trace_id", "parent_id"));
                nested.add(copy);
            }
        }
        subsegments.add(subsegment("Overhead", invocation.outcome().at(), invocation.nextPoll()));

        failure(invocation.outcome()).ifPresent(exception -> {
            functionSegment.put("fault", true);
            functionSegment.putObject("cause").putArray("exceptions").add(exception);
            invocationSubsegment.put("fault", true);
        });
        return new Trace(header.root(), List.of(service, functionSegment));
    }

    private static Optional<ObjectNode> failure(Outcome outcome) {
        ObjectNode exception = JSON.createObjectNode().put("id", TraceHeader.newEntityId());
        if (outcome instanceof Outcome.FunctionError error) {
            return Optional.of(exception.put("message", error.errorMessage()).put("type", error.errorType()));
        }
        if (outcome instanceof Outcome.InitError error) {
            return Optional.of(exception.put("message", error.errorMessage()).put("type", error.errorType()));
        }
        if (outcome instanceof Outcome.Timeout timeout) {
            return Optional.of(exception.put("message", "Task timed out after %d.00 seconds"
                    .formatted(timeout.seconds())).put("type", "Sandbox.Timedout"));
        }
        if (outcome instanceof Outcome.Crash crash) {
            return Optional.of(exception.put("message", "Runtime exited with error: exit status "
                    + crash.exitCode()).put("type", "Runtime.ExitError"));
        }
        return Optional.empty();
    }

    private static ObjectNode segment(FunctionConfig function, TraceHeader header, String id, String origin,
                                      Instant start, Instant end) {
        ObjectNode segment = JSON.createObjectNode();
        segment.put("name", function.name());
        segment.put("id", id);
        segment.put("trace_id", header.root());
        segment.put("start_time", seconds(start));
        segment.put("end_time", seconds(end));
        segment.put("origin", origin);
        segment.put("resource_arn", function.arn());
        emulated(segment);
        return segment;
    }

    private static ObjectNode subsegment(String name, Instant start, Instant end) {
        ObjectNode subsegment = JSON.createObjectNode();
        subsegment.put("name", name);
        subsegment.put("id", TraceHeader.newEntityId());
        subsegment.put("start_time", seconds(start));
        subsegment.put("end_time", seconds(end.isBefore(start) ? start : end));
        emulated(subsegment);
        return subsegment;
    }

    private static void emulated(ObjectNode node) {
        node.putObject("metadata").putObject("workbench")
                .put("emulated", "Written by the workbench in place of the Lambda service");
    }

    static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
