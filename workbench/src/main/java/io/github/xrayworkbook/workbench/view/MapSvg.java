package io.github.xrayworkbook.workbench.view;

import io.github.xrayworkbook.workbench.trace.Span;
import java.util.List;
import java.util.Locale;

/** The service map as an SVG picture: one box per node, left to right, arrows for calls. */
public final class MapSvg {

    private static final int WIDTH = 200;
    private static final int HEIGHT = 64;
    private static final int GAP = 56;

    private MapSvg() {
    }

    public static String render(ServiceMap map) {
        List<ServiceMap.Node> nodes = map.nodes();
        int width = nodes.size() * (WIDTH + GAP) - GAP + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"service-map\" width=\"%d\" height=\"%d\" style=\"max-width:100%%;height:auto\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width, HEIGHT + 60, width, HEIGHT + 60));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
                + "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/>"
                + "</marker></defs>\n");
        for (ServiceMap.Edge edge : map.edges()) {
            int from = indexOf(nodes, edge.from());
            int to = indexOf(nodes, edge.to());
            int x1 = x(from) + WIDTH;
            int x2 = x(to);
            int y = 30 + HEIGHT / 2;
            if (to > from) {
                svg.append(String.format(Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-width=\"1.5\" %s"
                                + "marker-end=\"url(#arrow)\"/>%n", x1, y, x2, y,
                        edge.link() ? "stroke-dasharray=\"6 4\" class=\"link\" " : ""));
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            ServiceMap.Node node = nodes.get(i);
            String colour = TimelineSvg.colour(node.status());
            int x = x(i);
            svg.append(String.format(Locale.ROOT,
                    "<g class=\"node\"><rect x=\"%d\" y=\"30\" width=\"%d\" height=\"%d\" rx=\"10\" fill=\"#fff\" "
                            + "stroke=\"%s\" stroke-width=\"3\"/>%n", x, WIDTH, HEIGHT, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"56\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>%n",
                    x + WIDTH / 2, Html.escape(node.name())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"74\" text-anchor=\"middle\" fill=\"#555\">%s</text></g>%n",
                    x + WIDTH / 2, Html.escape(node.type().equals("client") ? "" : node.type())));
            if (node.status() != Span.Status.OK && node.status() != Span.Status.IN_PROGRESS) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" fill=\"%s\">%s</text>%n",
                        x + WIDTH / 2, colour, node.status()));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static int x(int index) {
        return 20 + index * (WIDTH + GAP);
    }

    private static int indexOf(List<ServiceMap.Node> nodes, String key) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
