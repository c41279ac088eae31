package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole trace: its segment documents, and the tree they form. A segment whose
 * {@code parent_id} names another segment or subsegment of the trace hangs under it; the others
 * are roots, called by a client outside the trace.
 */
public final class Trace {

    private final String id;
    private final List<JsonNode> documents;
    private final List<Span> roots = new ArrayList<>();

    public Trace(String id, List<JsonNode> documents) {
        this.id = id;
        this.documents = List.copyOf(documents);
        Map<String, Span> byId = new HashMap<>();
        List<Span> segments = new ArrayList<>();
        for (JsonNode document : documents) {
            Span segment = toSpan(document, !"subsegment".equals(document.path("type").asText()), byId);
            segments.add(segment);
        }
        segments.sort(Comparator.comparingDouble(Span::start));
        for (Span segment : segments) {
            Span parent = byId.get(segment.document().path("parent_id").asText());
            if (parent != null && parent != segment) {
                parent.children().add(segment);
                parent.children().sort(Comparator.comparingDouble(Span::start));
            } else {
                roots.add(segment);
            }
        }
    }

    public String id() {
        return id;
    }

    public List<JsonNode> documents() {
        return documents;
    }

    public List<Span> roots() {
        return roots;
    }

    public double start() {
        return roots.stream().mapToDouble(Span::start).min().orElse(0);
    }

    public double end() {
        List<Span> all = new ArrayList<>();
        visit(all::add);
        return all.stream().mapToDouble(Span::end).max().orElse(0);
    }

    public double duration() {
        return end() - start();
    }

    /** Every span, depth first, parents before children. */
    public void visit(Consumer<Span> visitor) {
        roots.forEach(root -> visit(root, visitor));
    }

    private static void visit(Span span, Consumer<Span> visitor) {
        visitor.accept(span);
        span.children().forEach(child -> visit(child, visitor));
    }

    private static Span toSpan(JsonNode document, boolean segment, Map<String, Span> byId) {
        Span span = new Span(document, segment);
        byId.put(span.id(), span);
        for (JsonNode child : document.path("subsegments")) {
            span.children().add(toSpan(child, false, byId));
        }
        span.children().sort(Comparator.comparingDouble(Span::start));
        return span;
    }
}
