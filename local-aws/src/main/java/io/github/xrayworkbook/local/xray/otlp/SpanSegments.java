package io.github.xrayworkbook.local.xray.otlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment documents X-Ray makes of the spans in one OTLP export request: one per span, as
 * {@link SpanSegment} describes, before X-Ray's store nests each subsegment in its segment's
 * document ({@link io.github.xrayworkbook.local.xray.StoredTrace}).
 *
 * @param documents the converted spans, in the order the request carried them
 * @param refused why each span that cannot become a document was refused
 */
public record SpanSegments(List<ObjectNode> documents, List<String> refused) {

    /**
     * How {@code aws.xray.sdk} starts on every segment X-Ray converts from a span, followed by the
     * SDK's language ({@code opentelemetry for java}).
     */
    public static final String SDK_PREFIX = "opentelemetry for ";

    /** Converts every span of the request; a span X-Ray would refuse is left out, not fatal. */
    public static SpanSegments of(ExportTraceServiceRequest request, Instant now) {
        List<ObjectNode> documents = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    try {
                        documents.add(SpanSegment.of(span, resourceSpans.getResource(), now));
                    } catch (IllegalArgumentException e) {
                        refused.add("span \"" + span.getName() + "\": " + e.getMessage());
                    }
                }
            }
        }
        return new SpanSegments(List.copyOf(documents), List.copyOf(refused));
    }
}
