package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.StoredTrace;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.workbench.runtime.FunctionConfig;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the two segments the Lambda service records for a traced invocation, which no SDK in the
 * function can send: the {@code AWS::Lambda} segment (the service accepting the request) and the
 * {@code AWS::Lambda::Function} segment (the function's environment), in either of Lambda's two
 * structures ({@link LambdaFormat}), around what the function's SDK sent, stored as X-Ray stores
 * a trace ({@link StoredTrace}: every subsegment nested in its segment's document). Then adds the
 * segments X-Ray infers for AWS SDK calls when it stores a trace ({@link InferredSegments}).
 *
 * <p>Times come from what really happened on this machine; every document written here is
 * labelled as emulated in its metadata. The key sets follow documents stored by X-Ray (see the
 * fixtures of {@code LambdaSegmentsShapeTest}): in the current structure the function segment
 * carries {@code aws.cloudwatch_logs} and four {@code aws:} annotations in milliseconds, and no
 * longer the function's ARN, account and name.
 *
 * <p>With SnapStart, a new environment's trace has {@code Restore} where others have {@code Init}
 * (or {@code Initialization} in the legacy structure): AWS's "Monitoring for Lambda SnapStart"
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html), "There is no
 * Initialization subsegment for SnapStart functions", and a {@code Restore} subsegment for
 * restoring the snapshot, loading the runtime and the after-restore hooks. The checkpoint before it
 * (init and {@code beforeCheckpoint}) happens when a version is published, in no invocation's trace.
 */
public final class LambdaSegments {

    /** The annotations the Lambda service puts on the function segment in the current structure. */
    public static final String RESPONSE_LATENCY = "aws:responseLatency";
    public static final String RESPONSE_DURATION = "aws:responseDuration";
    public static final String RUNTIME_OVERHEAD = "aws:runtimeOverhead";
    public static final String EXTENSION_OVERHEAD = "aws:extensionOverhead";

    /** What the {@code Restore} subsegment says of itself, beside the emulation label. */
    public static final String RESTORE_NOTE = "No memory snapshot is restored on this machine: this is the time from"
            + " the workbench's answer to the runtime client's restore/next to its first request for work,"
            + " which is the afterRestore hooks; the JVM that ran init and beforeCheckpoint goes on.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaSegments() {
    }

    public static Trace assemble(LambdaFormat format, FunctionConfig function, Invocation invocation,
                                 List<SegmentDocument> sdkDocuments) {
        return assemble(format, function, invocation, sdkDocuments, Optional.empty());
    }

    /**
     * @param callerParent the caller's subsegment the invoke came from, when the caller is in the
     *        trace (API Gateway's {@code Lambda} subsegment): the {@code AWS::Lambda} segment's parent
     */
    public static Trace assemble(LambdaFormat format, FunctionConfig function, Invocation invocation,
                                 List<SegmentDocument> sdkDocuments, Optional<String> callerParent) {
        TraceHeader header = invocation.trace();
        Instant functionStart = invocation.init().or(invocation::restore).map(Invocation.Phase::started)
                .orElse(invocation.dispatched());
        Instant answered = invocation.outcome().at();

        ObjectNode service = segment(function, header, TraceHeader.newEntityId(), "AWS::Lambda",
                invocation.received(), invocation.nextPoll());
        callerParent.ifPresent(parent -> service.put("parent_id", parent));
        service.put("resource_arn", function.arn());
        service.putObject("http").putObject("response").put("status", 200);
        service.putObject("aws").put("request_id", invocation.requestId());

        ObjectNode functionSegment = segment(function, header, header.parent(), "AWS::Lambda::Function",
                functionStart, invocation.nextPoll());
        functionSegment.put("parent_id", service.path("id").asText());
        ArrayNode subsegments = functionSegment.putArray("subsegments");
        Optional<ObjectNode> exception = failure(invocation.outcome());
        // What the function sent for the function segment itself hangs directly under it in the
        // current structure, and under Invocation in the legacy one.
        String sdkParent = header.parent();
        if (format == LambdaFormat.CURRENT) {
            functionSegment.putObject("aws").putArray("cloudwatch_logs").addObject()
                    .put("log_group", "/aws/lambda/" + function.name());
            ObjectNode annotations = functionSegment.putObject("annotations");
            annotations.put(RESPONSE_LATENCY, millis(Duration.between(invocation.dispatched(), answered)));
            annotations.put(RESPONSE_DURATION, millis(invocation.responseTransfer()));
            annotations.put(RUNTIME_OVERHEAD, millis(Duration.between(answered, invocation.nextPoll())));
            // No Lambda extension runs on this machine.
            annotations.put(EXTENSION_OVERHEAD, 0.0);
            invocation.init().ifPresent(init -> subsegments.add(subsegment("Init", init.started(), init.ended())));
            invocation.restore().ifPresent(restore ->
                    subsegments.add(restoreNote(subsegment("Restore", restore.started(), restore.ended()))));
            subsegments.add(subsegment("Overhead", answered, invocation.nextPoll()));
        } else {
            ObjectNode aws = functionSegment.putObject("aws");
            aws.put("account_id", FunctionConfig.ACCOUNT_ID).put("function_arn", function.arn());
            aws.putArray("resource_names").add(function.name());
            invocation.init().ifPresent(init -> subsegments.add(
                    legacySubsegment(function, "Initialization", init.started(), invocation.dispatched())));
            invocation.restore().ifPresent(restore -> subsegments.add(restoreNote(
                    legacySubsegment(function, "Restore", restore.started(), invocation.dispatched()))));
            ObjectNode invocationSubsegment = legacySubsegment(function, "Invocation", invocation.dispatched(), answered);
            exception.ifPresent(e -> invocationSubsegment.put("fault", true));
            subsegments.add(invocationSubsegment);
            subsegments.add(legacySubsegment(function, "Overhead", answered, invocation.nextPoll()));
            sdkParent = invocationSubsegment.path("id").asText();
        }
        // Lambda marks the function segment because the invocation returned an error; a fault on a
        // subsegment alone (an exception the handler caught) leaves it OK.
        exception.ifPresent(e -> {
            functionSegment.put("fault", true);
            functionSegment.putObject("cause").putArray("exceptions").add(e);
        });

        List<JsonNode> received = new ArrayList<>(List.of(service, functionSegment));
        for (SegmentDocument document : sdkDocuments) {
            ObjectNode copy = document.json().deepCopy();
            if (document.isSubsegment() && document.parentId().filter(header.parent()::equals).isPresent()) {
                copy.put("parent_id", sdkParent);
            }
            received.add(copy);
        }
        List<JsonNode> stored = new ArrayList<>(StoredTrace.nest(received));
        stored.addAll(InferredSegments.of(header.root(), stored));
        return new Trace(header.root(), stored);
    }

    private static Optional<ObjectNode> failure(Outcome outcome) {
        ObjectNode exception = JSON.createObjectNode().put("id", TraceHeader.newEntityId());
        if (outcome instanceof Outcome.FunctionError error) {
            return Optional.of(exception.put("message", error.errorMessage()).put("type", error.errorType()));
        }
        if (outcome instanceof Outcome.InitError error) {
            return Optional.of(exception.put("message", error.errorMessage()).put("type", error.errorType()));
        }
        if (outcome instanceof Outcome.HookError error) {
            return Optional.of(exception.put("message", error.errorMessage()).put("type", error.runtimeErrorType()));
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
        segment.put("end_time", seconds(end.isBefore(start) ? start : end));
        segment.put("origin", origin);
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

    private static ObjectNode legacySubsegment(FunctionConfig function, String name, Instant start, Instant end) {
        ObjectNode subsegment = subsegment(name, start, end);
        subsegment.putObject("aws").put("function_arn", function.arn());
        return subsegment;
    }

    private static ObjectNode restoreNote(ObjectNode restore) {
        ((ObjectNode) restore.path("metadata").path(Emulated.NAMESPACE)).put("restore", RESTORE_NOTE);
        return restore;
    }

    private static void emulated(ObjectNode node) {
        Emulated.label(node, "the Lambda service");
    }

    private static double millis(Duration duration) {
        return Math.round(duration.toNanos() / 1e3) / 1e3;
    }

    static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
