package io.github.xrayworkbook.local.xray;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One segment or independent subsegment document, as the X-Ray SDK sent it, or as the local daemon
 * converted it from an OpenTelemetry span.
 *
 * @param json the parsed document
 * @param raw the document text exactly as received (for a converted span: the converted JSON)
 * @param convertedFromSpan true for what the daemon made of an OpenTelemetry span: what X-Ray makes
 *        of a span before it stores it, never sent by anyone as it is
 */
public record SegmentDocument(JsonNode json, String raw, boolean convertedFromSpan) {

    /** A document an X-Ray SDK sent. */
    public SegmentDocument(JsonNode json, String raw) {
        this(json, raw, false);
    }

    /** What the daemon made of an OpenTelemetry span. */
    public static SegmentDocument convertedFromSpan(JsonNode json) {
        return new SegmentDocument(json, json.toString(), true);
    }

    public String name() {
        return json.path("name").asText();
    }

    public String id() {
        return json.path("id").asText();
    }

    public String traceId() {
        return json.path("trace_id").asText();
    }

    /** The parent's id: set on independent subsegments, absent on a root segment. */
    public Optional<String> parentId() {
        return Optional.ofNullable(json.get("parent_id")).map(JsonNode::asText);
    }

    /** True for an independent subsegment ({@code "type": "subsegment"}), false for a segment. */
    public boolean isSubsegment() {
        return "subsegment".equals(json.path("type").asText());
    }
}
