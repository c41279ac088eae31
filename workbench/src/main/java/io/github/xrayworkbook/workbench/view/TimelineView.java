package io.github.xrayworkbook.workbench.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.workbench.trace.Emulated;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The trace as the X-Ray console's timeline, in text: one row per segment and subsegment with its
 * start offset, duration, a bar to scale and its status, and under each row what it carries
 * (annotations, metadata, exceptions). Colour only when asked, for a terminal.
 */
public final class TimelineView {

    /** A terminal's width: names up to 46 characters, a bar of 29. */
    public static final int TERMINAL_COLUMNS = 106;
    /** A book's code column at 1280 pixels: names up to 44 characters, a bar of 15. */
    public static final int BOOK_COLUMNS = 90;

    private static final int STACK_FRAMES = 3;
    private static final int FIXED_COLUMNS = 31;

    private final boolean colour;
    private final int columns;
    private final int nameWidth;
    private final int barWidth;

    public TimelineView(boolean colour) {
        this(colour, TERMINAL_COLUMNS);
    }

    /** @param columns the width of each row, bars included (at least 60) */
    public TimelineView(boolean colour, int columns) {
        this.colour = colour;
        this.columns = Math.max(columns, 60);
        int flexible = this.columns - FIXED_COLUMNS;
        this.nameWidth = Math.min(46, flexible - 15);
        this.barWidth = flexible - nameWidth;
    }

    public String render(Trace trace) {
        StringBuilder out = new StringBuilder();
        out.append("Trace ").append(trace.id()).append("   ")
                .append(seconds(trace.duration())).append('\n');
        out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9s %9s  %-6s %s%n",
                "NAME", "START", "DURATION", "STATUS", "TIMELINE"));
        for (Span root : trace.roots()) {
            row(out, trace, root, 0);
        }
        return out.toString();
    }

    private void row(StringBuilder out, Trace trace, Span span, int depth) {
        String label = "  ".repeat(depth) + span.name()
                + (span.segment() && !span.origin().isEmpty() ? " " + span.origin() : "")
                + (span.operation().isEmpty() ? "" : " " + span.operation());
        if (label.length() > nameWidth) {
            label = label.substring(0, nameWidth - 1) + "~";
        }
        out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %9s %9s  %s %s%n",
                label, seconds(span.start() - trace.start()), seconds(span.duration()),
                status(span.status()), bar(trace, span)));
        String indent = " ".repeat(2 * depth + 4);
        details(out, span, indent);
        for (Span child : span.children()) {
            row(out, trace, child, depth + 1);
        }
    }

    private void details(StringBuilder out, Span span, String indent) {
        for (Iterator<Map.Entry<String, JsonNode>> it = span.annotations().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> annotation = it.next();
            line(out, indent + "annotation " + annotation.getKey() + " = " + annotation.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> namespaces = span.metadata().fields(); namespaces.hasNext(); ) {
            Map.Entry<String, JsonNode> namespace = namespaces.next();
            if (namespace.getKey().equals(Emulated.NAMESPACE)) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = namespace.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                line(out, indent + "metadata " + namespace.getKey() + "." + entry.getKey() + " = " + entry.getValue());
            }
        }
        for (JsonNode link : span.document().path("links")) {
            JsonNode attributes = link.path("attributes");
            line(out, indent + "link to trace " + link.path("trace_id").asText() + " ("
                    + attributes.path("aws.xray.reserved.names").path(0).asText("?") + ", "
                    + attributes.path("aws.xray.reserved.reference_type").asText("?") + ")");
        }
        for (JsonNode exception : span.exceptions()) {
            line(out, indent + "exception " + exception.path("type").asText("?") + ": "
                    + exception.path("message").asText());
            int frames = 0;
            for (JsonNode frame : exception.path("stack")) {
                if (frames++ == STACK_FRAMES) {
                    break;
                }
                line(out, indent + "  at " + frame.path("label").asText() + "(" + frame.path("path").asText()
                        + ":" + frame.path("line").asInt() + ")");
            }
        }
    }

    /** A detail line, cut to the row width: the HTML page and trace.json keep it whole. */
    private void line(StringBuilder out, String text) {
        out.append(text.length() > columns ? text.substring(0, columns - 1) + "~" : text).append('\n');
    }

    private String bar(Trace trace, Span span) {
        double total = Math.max(trace.duration(), 1e-6);
        int from = (int) Math.round((span.start() - trace.start()) / total * barWidth);
        int length = Math.max(1, (int) Math.round(span.duration() / total * barWidth));
        from = Math.max(0, Math.min(from, barWidth - 1));
        length = Math.min(length, barWidth - from);
        String bar = "|" + " ".repeat(from) + "#".repeat(length) + " ".repeat(barWidth - from - length) + "|";
        return colour ? paint(span.status()) + bar + "\u001b[0m" : bar;
    }

    private String status(Span.Status status) {
        String text = String.format(Locale.ROOT, "%-6s", switch (status) {
            case OK -> "OK";
            case ERROR -> "ERROR";
            case FAULT -> "FAULT";
            case THROTTLE -> "THROTL";
            case IN_PROGRESS -> "...";
        });
        return colour ? paint(status) + text + "\u001b[0m" : text;
    }

    private static String paint(Span.Status status) {
        return switch (status) {
            case OK -> "\u001b[32m";
            case ERROR, THROTTLE -> "\u001b[33m";
            case FAULT -> "\u001b[31m";
            case IN_PROGRESS -> "\u001b[36m";
        };
    }

    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3fs", seconds);
    }
}
