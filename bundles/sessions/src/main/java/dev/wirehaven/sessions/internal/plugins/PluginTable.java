package dev.wirehaven.sessions.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the bound plugins as plain text for the shell: one section per kind, always all three so
 * that a missing kind is visible, each row with name, bundle, version, ranking and service id.
 * Columns are aligned across sections.
 *
 * <pre>
 * Auth providers (1)
 *   NAME          BUNDLE                                   VERSION         RANKING  SERVICE
 *   static-token  dev.wirehaven.example-auth-static-token  0.1.0.SNAPSHOT  0        42
 * Policy engines (0)
 *   none
 * Monitoring sinks (0)
 *   none
 * </pre>
 */
final class PluginTable {

    private static final String[] HEADER = {"NAME", "BUNDLE", "VERSION", "RANKING", "SERVICE"};
    private static final String INDENT = "  ";
    private static final String GAP = "  ";

    private PluginTable() {}

    static String render(Map<PluginKind, List<BoundPlugin<?>>> plugins) {
        int[] widths = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            widths[c] = HEADER[c].length();
        }
        for (List<BoundPlugin<?>> list : plugins.values()) {
            for (BoundPlugin<?> p : list) {
                String[] cells = cells(p);
                for (int c = 0; c < cells.length; c++) {
                    widths[c] = Math.max(widths[c], cells[c].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (PluginKind kind : PluginKind.values()) {
            List<BoundPlugin<?>> list = plugins.getOrDefault(kind, List.of());
            out.append(kind.heading()).append(" (").append(list.size()).append(")\n");
            if (list.isEmpty()) {
                out.append(INDENT).append("none\n");
                continue;
            }
            row(out, HEADER, widths);
            for (BoundPlugin<?> p : list) {
                row(out, cells(p), widths);
            }
        }
        return out.toString();
    }

    private static String[] cells(BoundPlugin<?> p) {
        return new String[] {
            p.name(),
            p.origin().bundleSymbolicName(),
            p.origin().bundleVersion(),
            Integer.toString(p.origin().ranking()),
            Long.toString(p.origin().serviceId())
        };
    }

    private static void row(StringBuilder out, String[] cells, int[] widths) {
        List<String> padded = new ArrayList<>();
        for (int c = 0; c < cells.length; c++) {
            padded.add(c == cells.length - 1 ? cells[c] : pad(cells[c], widths[c]));
        }
        out.append(INDENT).append(String.join(GAP, padded)).append('\n');
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
