package dev.wirehaven.console.internal.pages;

import dev.wirehaven.console.internal.sink.ThroughputPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Throughput page as HTML: per interface an inline SVG chart of bytes per second received and
 * sent, drawn on the server (no script, no external library), with the latest values beside it. The
 * page reloads itself (a {@code Refresh} header) at the pace of the server's samples.
 */
final class ThroughputChart {

    static final String NO_DATA = "No throughput yet: the server samples its interfaces every ten seconds, and"
            + " a rate needs two samples. Without the session layer there are none.";

    static final int WIDTH = 720;
    static final int HEIGHT = 220;
    private static final int LEFT = 80;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;

    static final String RECEIVED_COLOUR = "#1f77b4";
    static final String SENT_COLOUR = "#d62728";

    private ThroughputChart() {}

    static String render(Map<String, List<ThroughputPoint>> byInterface) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<div class=\"wirehaven-page\" id=\"wirehaven-throughput\">");
        if (byInterface.values().stream().allMatch(List::isEmpty)) {
            b.append("<p id=\"no-throughput\">").append(Html.text(NO_DATA)).append("</p>");
            return b.append("</div>").toString();
        }
        byInterface.forEach((name, points) -> {
            if (!points.isEmpty()) {
                chart(b, name, points);
            }
        });
        return b.append("</div>").toString();
    }

    private static void chart(StringBuilder b, String name, List<ThroughputPoint> points) {
        ThroughputPoint last = points.get(points.size() - 1);
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">")
                .append(Html.text(name))
                .append("</h2><p class=\"statline\">Now: ")
                .append("<span class=\"received\">received ")
                .append(Html.text(Formats.bytes(last.receivedPerSecond())))
                .append("/s</span>, <span class=\"sent\">sent ")
                .append(Html.text(Formats.bytes(last.sentPerSecond())))
                .append("/s</span> at ")
                .append(Formats.clock(last.time()))
                .append(" UTC</p>");
        double max = niceCeiling(points.stream()
                .mapToDouble(p -> Math.max(p.receivedPerSecond(), p.sentPerSecond()))
                .max()
                .orElse(0));
        Instant from = points.get(0).time();
        Instant to = last.time();
        long span = Math.max(1, Duration.between(from, to).toMillis());
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"throughput-chart\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Throughput of ")
                .append(Html.text(name))
                .append("\">");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        b.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>",
                LEFT,
                TOP,
                plotW,
                plotH));
        label(b, LEFT - 6, TOP + 12, "end", Formats.bytes(max) + "/s");
        label(b, LEFT - 6, TOP + plotH, "end", "0");
        label(b, LEFT, HEIGHT - 8, "start", Formats.clock(from));
        label(b, WIDTH - RIGHT, HEIGHT - 8, "end", Formats.clock(to) + " UTC");
        line(b, points, from, span, max, plotW, plotH, true, RECEIVED_COLOUR, "received");
        line(b, points, from, span, max, plotW, plotH, false, SENT_COLOUR, "sent");
        b.append("</svg><p class=\"legend\"><span class=\"received\">&#9632; received</span> "
                + "<span class=\"sent\">&#9632; sent</span> (bytes per second, summed over the sessions)</p>");
    }

    private static void line(
            StringBuilder b,
            List<ThroughputPoint> points,
            Instant from,
            long span,
            double max,
            int plotW,
            int plotH,
            boolean received,
            String colour,
            String cssClass) {
        b.append("<polyline class=\"")
                .append(cssClass)
                .append("\" fill=\"none\" stroke=\"")
                .append(colour)
                .append("\" stroke-width=\"1.5\" points=\"");
        for (ThroughputPoint p : points) {
            double v = received ? p.receivedPerSecond() : p.sentPerSecond();
            double x = LEFT + plotW * (double) Duration.between(from, p.time()).toMillis() / span;
            double y = TOP + plotH - (max <= 0 ? 0 : plotH * v / max);
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        b.append("\"/>");
    }

    private static void label(StringBuilder b, int x, int y, String anchor, String text) {
        b.append("<text x=\"")
                .append(x)
                .append("\" y=\"")
                .append(y)
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\" font-size=\"11\" fill=\"#333\">")
                .append(Html.text(text))
                .append("</text>");
    }

    /** The scale's top: 1, 2 or 5 times a power of ten at or above {@code v}; 1 for an idle tunnel. */
    static double niceCeiling(double v) {
        if (v <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
