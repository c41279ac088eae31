package io.github.xrayworkbook.workbench.view;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The timeline as an SVG picture: one row per segment and subsegment, bars to scale, coloured by status. */
public final class TimelineSvg {

    private static final int ROW = 26;
    private static final int NAME_WIDTH = 380;
    private static final int BAR_WIDTH = 440;
    private static final int WIDTH = NAME_WIDTH + BAR_WIDTH + 150;

    private TimelineSvg() {
    }

    private record Row(Span span, int depth) {
    }

    public static String render(Trace trace) {
        List<Row> rows = new ArrayList<>();
        trace.roots().forEach(root -> collect(root, 0, rows));
        int height = (rows.size() + 1) * ROW + 16;
        double total = Math.max(trace.duration(), 1e-6);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"%d\" height=\"%d\" style=\"max-width:100%%;height:auto\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-weight=\"bold\">Name</text>"
                + "<text x=\"%d\" y=\"18\" font-weight=\"bold\">Timeline (%.3f s)</text>"
                + "<text x=\"%d\" y=\"18\" font-weight=\"bold\">Duration</text>%n",
                NAME_WIDTH, total, NAME_WIDTH + BAR_WIDTH + 12));
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Span span = row.span();
            int y = (i + 1) * ROW + 8;
            String label = span.name() + (span.segment() && !span.origin().isEmpty() ? " " + span.origin() : "");
            double x = NAME_WIDTH + (span.start() - trace.start()) / total * BAR_WIDTH;
            double width = Math.max(1.5, span.duration() / total * BAR_WIDTH);
            svg.append(String.format(Locale.ROOT, "<g class=\"row %s\">", span.status()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    y, WIDTH, ROW, i % 2 == 0 ? "#f7f7f7" : "#ffffff"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>", 8 + row.depth() * 16, y + 17,
                    span.segment() ? " font-weight=\"bold\"" : "", Html.escape(label)));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" rx=\"2\" fill=\"%s\"/>",
                    Math.min(x, NAME_WIDTH + BAR_WIDTH - 1.5), y + 6, Math.min(width, NAME_WIDTH + BAR_WIDTH - x), colour(span.status())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.3f s%s</text></g>%n", NAME_WIDTH + BAR_WIDTH + 12, y + 17,
                    span.duration(), span.status() == Span.Status.OK ? "" : "  " + span.status()));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void collect(Span span, int depth, List<Row> rows) {
        rows.add(new Row(span, depth));
        span.children().forEach(child -> collect(child, depth + 1, rows));
    }

    static String colour(Span.Status status) {
        return switch (status) {
            case OK, IN_PROGRESS -> "#2e7d32";
            case ERROR, THROTTLE -> "#f9a825";
            case FAULT -> "#c62828";
        };
    }
}
