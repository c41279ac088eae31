package io.github.xrayworkbook.workbench.view;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trace map: who called whom. A client calls each root segment; a segment calls the segments
 * under it, including those X-Ray inferred for AWS SDK calls (S3 of type {@code AWS::S3::Bucket});
 * a subsegment in the {@code aws} or {@code remote} namespace with no segment under it (neither an
 * inferred one nor the called service's own) calls a downstream node of its own (S3 of type
 * {@code AWS::S3}), so that a service appears once whether or not the trace holds its segment.
 *
 * <p>A map of several traces joins them where one links to another ({@code links}, as X-Ray stores
 * the link from a producer's trace to the trace of the function Lambda invoked with its SQS
 * message): the linked trace's root is reached from the queue the producer called, not from a
 * client, by an edge of its own kind, which the console draws dashed.
 */
public final class ServiceMap {

    /** A node of the map, e.g. {@code xray-workbook-step-2} of type {@code AWS::Lambda}. */
    public record Node(String name, String type, int calls, Span.Status status) {
        public String key() {
            return name + " (" + type + ")";
        }
    }

    /** @param link whether the edge is a trace link (a message through a queue), not a call */
    public record Edge(String from, String to, int calls, boolean link) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Edge> edges = new LinkedHashMap<>();
    private final Map<String, Node> linkSources = new LinkedHashMap<>();

    public ServiceMap(Trace trace) {
        this(List.of(trace));
    }

    public ServiceMap(List<Trace> traces) {
        Node client = node("Client", "client", Span.Status.OK);
        for (Trace trace : traces) {
            for (Span root : trace.roots()) {
                Node from = linkSources.get(trace.id() + "/" + root.id());
                if (from == null) {
                    walk(client, root);
                } else {
                    Node node = node(root.name(), root.origin().isEmpty() ? "service" : root.origin(), root.status());
                    edge(from, node, true);
                    walkInside(node, root);
                    links(node, root);
                }
            }
        }
    }

    /**
     * Remembers where the span's links start, for the linked traces that come later: the queue
     * the span called, or else the service {@code owner} the span belongs to.
     */
    private void links(Node owner, Span span) {
        for (JsonNode link : span.document().path("links")) {
            List<Span> calls = new ArrayList<>();
            collectCalls(span, calls);
            Node from = calls.stream().filter(call -> call.name().equalsIgnoreCase("SQS")).reduce((first, last) -> last)
                    .map(call -> nodes.get(call.name() + " (AWS::" + call.name() + ")")).orElse(owner);
            linkSources.put(link.path("trace_id").asText() + "/" + link.path("id").asText(), from);
        }
    }

    private static void collectCalls(Span span, List<Span> calls) {
        for (Span child : span.children()) {
            if (!child.segment()) {
                if (child.namespace().equals("aws")) {
                    calls.add(child);
                }
                collectCalls(child, calls);
            }
        }
    }

    public List<Node> nodes() {
        return new ArrayList<>(nodes.values());
    }

    public List<Edge> edges() {
        return new ArrayList<>(edges.values());
    }

    /**
     * One line per edge, e.g. {@code Client -> xray-workbook-step-1 (AWS::Lambda)  1 call  OK}; a
     * link reads {@code ~> ... 1 link}.
     */
    public String renderText() {
        return renderText(Integer.MAX_VALUE);
    }

    /** The same, with an edge longer than {@code columns} broken after its arrow. */
    public String renderText(int columns) {
        StringBuilder out = new StringBuilder();
        for (Edge edge : edges.values()) {
            Node to = nodes.get(edge.to());
            String from = nodes.get(edge.from()).key().replace(" (client)", "") + (edge.link() ? " ~>" : " ->");
            String unit = edge.link() ? " link" : " call";
            String target = to.key() + "  " + edge.calls() + unit + (edge.calls() == 1 ? "  " : "s  ") + to.status();
            String line = from + " " + target;
            out.append(line.length() <= columns ? line : from + "\n    " + target).append('\n');
        }
        return out.toString();
    }

    private void walk(Node caller, Span segment) {
        Node node = node(segment.name(), segment.origin().isEmpty() ? "service" : segment.origin(), segment.status());
        edge(caller, node);
        walkInside(node, segment);
        links(node, segment);
    }

    private void walkInside(Node owner, Span span) {
        for (Span child : span.children()) {
            if (child.segment()) {
                walk(owner, child);
            } else if ((child.namespace().equals("aws") || child.namespace().equals("remote"))
                    && child.children().stream().noneMatch(Span::segment)) {
                String type = child.namespace().equals("aws") ? "AWS::" + child.name() : "remote";
                edge(owner, node(child.name(), type, child.status()));
                walkInside(owner, child);
            } else {
                walkInside(owner, child);
            }
            if (!child.segment()) {
                links(owner, child);
            }
        }
    }

    private Node node(String name, String type, Span.Status status) {
        String key = name + " (" + type + ")";
        Node existing = nodes.get(key);
        Node merged = existing == null
                ? new Node(name, type, 1, status)
                : new Node(name, type, existing.calls() + 1, worse(existing.status(), status));
        nodes.put(key, merged);
        return merged;
    }

    private void edge(Node from, Node to) {
        edge(from, to, false);
    }

    private void edge(Node from, Node to, boolean link) {
        String key = from.key() + (link ? "~>" : "->") + to.key();
        Edge existing = edges.get(key);
        edges.put(key, new Edge(from.key(), to.key(), existing == null ? 1 : existing.calls() + 1, link));
    }

    private static Span.Status worse(Span.Status a, Span.Status b) {
        return Objects.requireNonNull(a).ordinal() >= b.ordinal() ? a : b;
    }
}
