package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment or subsegment: what it was, when, how it ended, and what it carries.
 *
 * @param document the segment or subsegment's own JSON, as recorded
 * @param segment true for a segment (a service's record), false for a subsegment
 * @param children subsegments, and for a segment the segments it called
 */
public record Span(JsonNode document, boolean segment, List<Span> children) {

    public Span(JsonNode document, boolean segment) {
        this(document, segment, new ArrayList<>());
    }

    public String name() {
        return document.path("name").asText();
    }

    public String id() {
        return document.path("id").asText();
    }

    public double start() {
        return document.path("start_time").asDouble();
    }

    public double end() {
        JsonNode end = document.get("end_time");
        return end == null ? start() : end.asDouble();
    }

    public double duration() {
        return end() - start();
    }

    /** {@code AWS::Lambda}, {@code AWS::Lambda::Function}...; empty for most subsegments. */
    public String origin() {
        return document.path("origin").asText();
    }

    /** {@code aws} for an AWS SDK call, {@code remote} for another downstream call, else empty. */
    public String namespace() {
        return document.path("namespace").asText();
    }

    public Status status() {
        if (document.path("fault").asBoolean()) {
            return Status.FAULT;
        }
        if (document.path("throttle").asBoolean()) {
            return Status.THROTTLE;
        }
        if (document.path("error").asBoolean()) {
            return Status.ERROR;
        }
        return document.path("in_progress").asBoolean() ? Status.IN_PROGRESS : Status.OK;
    }

    public JsonNode annotations() {
        return document.path("annotations");
    }

    public JsonNode metadata() {
        return document.path("metadata");
    }

    public JsonNode exceptions() {
        return document.path("cause").path("exceptions");
    }

    /** True for what the workbench wrote in Lambda's place rather than received from the SDK. */
    public boolean emulated() {
        return Emulated.isLabelled(document);
    }

    /** True for a segment X-Ray inferred for an AWS SDK call (S3's {@code AWS::S3::Bucket}...). */
    public boolean inferred() {
        return segment && document.path("inferred").asBoolean();
    }

    /**
     * The AWS operation of an SDK call, e.g. {@code GetObject}; empty otherwise. The X-Ray SDK
     * writes it as {@code aws.operation}; X-Ray's conversion of an OpenTelemetry span keeps it in
     * the span's {@code rpc.method}, in metadata.
     */
    public String operation() {
        String operation = document.path("aws").path("operation").asText();
        return operation.isEmpty() && "aws".equals(namespace()) ? document.path("metadata").path("rpc.method").asText()
                : operation;
    }

    public enum Status {
        OK, ERROR, FAULT, THROTTLE, IN_PROGRESS
    }
}
