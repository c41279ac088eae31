package io.github.xrayworkbook.local.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of a trace as X-Ray stores them and {@code BatchGetTraces} returns them: each
 * subsegment sent on its own ({@code "type": "subsegment"}, with a {@code parent_id}) is nested in
 * the document of the segment it belongs to, under its parent, without the three fields that only
 * routed it there. A subsegment whose parent is not in the trace stays a document of its own, as
 * X-Ray keeps it.
 *
 * <p>The X-Ray SDK streams subsegments this way, and X-Ray's conversion of OpenTelemetry spans
 * produces a subsegment per CLIENT or INTERNAL span, which stored traces show nested in the
 * document of the SERVER span's segment (see the fixtures in
 * {@code local-aws/src/test/resources/real-traces/opentelemetry/}).
 */
public final class StoredTrace {

    private StoredTrace() {
    }

    /**
     * Nests every independent subsegment whose parent is among the documents (or nested in one),
     * in the order they arrived, children sorted by start time. The documents are copied, not
     * changed.
     */
    public static List<JsonNode> nest(List<? extends JsonNode> documents) {
        List<ObjectNode> pending = new ArrayList<>();
        for (JsonNode document : documents) {
            pending.add((ObjectNode) document.deepCopy());
        }
        Map<String, ObjectNode> byId = new HashMap<>();
        pending.forEach(document -> index(document, byId));
        List<JsonNode> stored = new ArrayList<>();
        for (ObjectNode document : pending) {
            ObjectNode parent = byId.get(document.path("parent_id").asText());
            if (isIndependentSubsegment(document) && parent != null && !containedIn(parent, document)) {
                document.remove(List.of("type", "trace_id", "parent_id"));
                ArrayNode children = parent.has("subsegments") ? (ArrayNode) parent.get("subsegments")
                        : parent.putArray("subsegments");
                children.add(document);
                sortByStart(children);
            } else {
                stored.add(document);
            }
        }
        return stored;
    }

    private static boolean isIndependentSubsegment(JsonNode document) {
        return "subsegment".equals(document.path("type").asText()) && document.hasNonNull("parent_id");
    }

    /** True if {@code node} is {@code document} or lies within it: nesting it there would make a loop. */
    private static boolean containedIn(JsonNode node, JsonNode document) {
        if (node == document) {
            return true;
        }
        for (JsonNode child : document.path("subsegments")) {
            if (containedIn(node, child)) {
                return true;
            }
        }
        return false;
    }

    private static void index(ObjectNode entity, Map<String, ObjectNode> byId) {
        byId.putIfAbsent(entity.path("id").asText(), entity);
        for (JsonNode child : entity.path("subsegments")) {
            if (child instanceof ObjectNode object) {
                index(object, byId);
            }
        }
    }

    private static void sortByStart(ArrayNode children) {
        List<JsonNode> sorted = new ArrayList<>();
        children.forEach(sorted::add);
        sorted.sort(Comparator.comparingDouble(child -> child.path("start_time").asDouble()));
        children.removeAll();
        children.addAll(sorted);
    }
}
