package io.github.xrayworkbook.workbench.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The traces as one self-contained HTML page, laid out like the X-Ray console: the trace map,
 * then the timeline with a row per segment and subsegment; a click on a row opens its
 * Overview, Annotations, Metadata and Exceptions tabs. Styles and script are inline: the page
 * opens offline.
 */
public final class HtmlPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#16191f}
            h1{font-size:22px}h2{font-size:17px;margin-top:32px}
            table.timeline{border-collapse:collapse;width:100%;font-size:13px}
            .timeline th{text-align:left;border-bottom:2px solid #ccc;padding:4px}
            .timeline td{padding:4px;border-bottom:1px solid #eee;vertical-align:middle}
            tr.span{cursor:pointer}tr.span:hover{background:#f2f8fd}
            .track{position:relative;height:14px;background:#f4f4f4;min-width:300px}
            .bar{position:absolute;top:0;height:14px;border-radius:2px}
            .OK .bar{background:#2e7d32}.ERROR .bar,.THROTTLE .bar{background:#f9a825}.FAULT .bar{background:#c62828}
            .status-FAULT{color:#c62828;font-weight:bold}.status-ERROR{color:#b8860b;font-weight:bold}
            .emulated{color:#777;font-size:11px}
            tr.details>td{background:#fafafa;padding:10px 16px}
            .tabs button{border:1px solid #ccc;background:#fff;padding:4px 10px;cursor:pointer}
            .tabs button.active{background:#0972d3;color:#fff;border-color:#0972d3}
            .pane{display:none;margin-top:8px}.pane.active{display:block}
            pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;font-size:12px}
            """;

    private static final String SCRIPT = """
            document.querySelectorAll('tr.span').forEach(function (row) {
              row.addEventListener('click', function () {
                var details = document.getElementById(row.dataset.details);
                details.hidden = !details.hidden;
              });
            });
            document.querySelectorAll('.tabs button').forEach(function (button) {
              button.addEventListener('click', function () {
                var box = button.closest('td');
                box.querySelectorAll('.tabs button').forEach(function (b) { b.classList.remove('active'); });
                box.querySelectorAll('.pane').forEach(function (p) { p.classList.remove('active'); });
                button.classList.add('active');
                box.querySelector('.pane[data-tab="' + button.dataset.tab + '"]').classList.add('active');
              });
            });
            """;

    private HtmlPage() {
    }

    public static void write(List<Trace> traces, Path file, String title) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, render(traces, title));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String render(List<Trace> traces, String title) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        if (traces.stream().anyMatch(HtmlPage::links)) {
            // Traces joined by links make one map, as the console's map of linked traces does.
            html.append("<section class=\"map\"><h2>Map of the linked traces</h2>\n")
                    .append(MapSvg.render(new ServiceMap(traces))).append("</section>\n");
        }
        int row = 0;
        for (Trace trace : traces) {
            html.append("<section class=\"trace\"><h2>Trace ").append(Html.escape(trace.id()))
                    .append(String.format(Locale.ROOT, " &middot; %.3f s", trace.duration())).append("</h2>\n");
            html.append("<h3>Trace map</h3>\n").append(MapSvg.render(new ServiceMap(trace)));
            html.append("<h3>Timeline</h3>\n<table class=\"timeline\"><thead><tr><th>Name</th><th>Start</th>"
                    + "<th>Duration</th><th>Status</th><th>Timeline</th></tr></thead><tbody>\n");
            for (Span root : trace.roots()) {
                row = rows(html, trace, root, 0, row);
            }
            html.append("</tbody></table></section>\n");
        }
        return html.append("<script>").append(SCRIPT).append("</script></body></html>\n").toString();
    }

    private static boolean links(Trace trace) {
        boolean[] found = {false};
        trace.visit(span -> found[0] |= span.document().has("links"));
        return found[0];
    }

    private static int rows(StringBuilder html, Trace trace, Span span, int depth, int row) {
        double total = Math.max(trace.duration(), 1e-6);
        double left = (span.start() - trace.start()) / total * 100;
        double width = Math.max(0.3, span.duration() / total * 100);
        String id = "d" + row;
        html.append(String.format(Locale.ROOT, "<tr class=\"span %s\" data-details=\"%s\"><td style=\"padding-left:%dpx\">",
                span.status(), id, 4 + depth * 18));
        html.append(Html.escape(span.name()));
        if (!span.origin().isEmpty()) {
            html.append(" <b>").append(Html.escape(span.origin())).append("</b>");
        }
        if (span.emulated()) {
            html.append(" <span class=\"emulated\">emulated</span>");
        }
        html.append(String.format(Locale.ROOT, "</td><td>%.3f s</td><td>%.3f s</td><td class=\"status-%s\">%s</td>"
                        + "<td><div class=\"track\"><div class=\"bar\" style=\"left:%.2f%%;width:%.2f%%\"></div></div></td></tr>%n",
                span.start() - trace.start(), span.duration(), span.status(), span.status(),
                Math.min(left, 99.7), Math.min(width, 100 - Math.min(left, 99.7))));
        html.append("<tr class=\"details\" id=\"").append(id).append("\" hidden><td colspan=\"5\">")
                .append("<div class=\"tabs\">");
        String[] tabs = {"Overview", "Annotations", "Metadata", "Exceptions"};
        for (int i = 0; i < tabs.length; i++) {
            html.append("<button type=\"button\" data-tab=\"").append(tabs[i]).append("\"")
                    .append(i == 0 ? " class=\"active\"" : "").append(">").append(tabs[i]).append("</button>");
        }
        html.append("</div>");
        pane(html, "Overview", overview(span), true);
        pane(html, "Annotations", span.annotations(), false);
        pane(html, "Metadata", span.metadata(), false);
        pane(html, "Exceptions", span.exceptions(), false);
        html.append("</td></tr>\n");
        int next = row + 1;
        for (Span child : span.children()) {
            next = rows(html, trace, child, depth + 1, next);
        }
        return next;
    }

    private static JsonNode overview(Span span) {
        var node = span.document().deepCopy();
        if (node.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node)
                    .remove(List.of("subsegments", "annotations", "metadata", "cause"));
        }
        return node;
    }

    private static void pane(StringBuilder html, String tab, JsonNode content, boolean active) {
        html.append("<div class=\"pane").append(active ? " active" : "").append("\" data-tab=\"").append(tab).append("\">");
        if (content.isMissingNode() || content.isEmpty()) {
            html.append("<p>None.</p>");
        } else {
            try {
                html.append("<pre>").append(Html.escape(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(content)))
                        .append("</pre>");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        html.append("</div>");
    }
}
