package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The segments X-Ray adds when it stores a trace: one for each AWS SDK call to a resource it
 * knows, standing for the service that was called. Its {@code parent_id} is the SDK subsegment's
 * id; it has the call's name, times, {@code http} and {@code aws} fields, {@code inferred: true},
 * an {@code origin} naming the resource type, and the resource in {@code aws.resource_names}, which
 * X-Ray adds to the call's own {@code aws} as well. The console's service node (S3 with type
 * {@code AWS::S3::Bucket}) comes from it.
 *
 * <p>Shape taken from documents stored by X-Ray and published in public repositories (an S3
 * {@code PutObject} and a DynamoDB {@code PutItem}; see the workbench's test fixtures under
 * {@code real-traces/}). Calls to other services keep the subsegment alone, as their node.
 */
final class InferredSegments {

    /** Service name of the SDK subsegment -> the resource type X-Ray infers, and the field naming it. */
    private static final Map<String, Resource> RESOURCES = Map.of(
            "S3", new Resource("AWS::S3::Bucket", "bucket_name"),
            "DynamoDB", new Resource("AWS::DynamoDB::Table", "table_name"));

    private record Resource(String origin, String nameField) {
    }

    private InferredSegments() {
    }

    /**
     * The inferred segments for the AWS calls among these subsegments and their descendants; adds
     * {@code aws.resource_names} to those calls.
     */
    static List<ObjectNode> of(String traceId, List<? extends JsonNode> subsegments) {
        List<ObjectNode> inferred = new ArrayList<>();
        for (JsonNode subsegment : subsegments) {
            collect(traceId, subsegment, inferred);
        }
        return inferred;
    }

    private static void collect(String traceId, JsonNode subsegment, List<ObjectNode> inferred) {
        Resource resource = RESOURCES.get(subsegment.path("name").asText());
        JsonNode aws = subsegment.path("aws");
        if ("aws".equals(subsegment.path("namespace").asText()) && resource != null
                && aws.path(resource.nameField()).isTextual()) {
            // Stored traces carry the resource on the call too, not only on the inferred segment.
            ((ObjectNode) aws).putArray("resource_names").add(aws.path(resource.nameField()).asText());
            inferred.add(segmentFor(traceId, subsegment, resource));
        }
        List<JsonNode> children = new ArrayList<>();
        subsegment.path("subsegments").forEach(children::add);
        inferred.addAll(of(traceId, children));
    }

    private static ObjectNode segmentFor(String traceId, JsonNode call, Resource resource) {
        ObjectNode segment = ((ObjectNode) call).objectNode();
        segment.put("id", TraceHeader.newEntityId());
        segment.put("name", call.path("name").asText());
        segment.put("start_time", call.path("start_time").asDouble());
        segment.put("trace_id", traceId);
        segment.put("end_time", call.path("end_time").asDouble(call.path("start_time").asDouble()));
        segment.put("parent_id", call.path("id").asText());
        segment.put("inferred", true);
        for (String flag : List.of("error", "fault", "throttle")) {
            if (call.path(flag).asBoolean()) {
                segment.put(flag, true);
            }
        }
        if (call.has("http")) {
            segment.set("http", call.get("http").deepCopy());
        }
        segment.set("aws", call.path("aws").deepCopy());
        segment.put("origin", resource.origin());
        Emulated.label(segment, "X-Ray, which infers this segment when it stores the trace");
        return segment;
    }
}
