package dev.wirehaven.interfaces.internal.wgquickimport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the operator reads: each key of the file and where it went, or why it did not. */
final class ImportReport {

    private final Path source;
    private final String name;
    private final List<String[]> imported = new ArrayList<>();
    private final List<String[]> notImported = new ArrayList<>();
    private final List<String[]> checks = new ArrayList<>();

    ImportReport(Path source, String name) {
        this.source = source;
        this.name = name;
    }

    void imported(String key, String where) {
        imported.add(new String[] {key, where});
    }

    void notImported(String key, String why) {
        notImported.add(new String[] {key, why});
    }

    /** Imported as written, but probably not what the operator means. */
    void check(String key, String what) {
        checks.add(new String[] {key, what});
    }

    String render(Path cfg) {
        StringBuilder out = new StringBuilder();
        out.append("Imported ")
                .append(source)
                .append(" as WireGuard interface ")
                .append(name)
                .append(":\n");
        table(out, imported);
        if (!notImported.isEmpty()) {
            out.append("Not imported:\n");
            table(out, notImported);
        }
        if (!checks.isEmpty()) {
            out.append("Check:\n");
            table(out, checks);
        }
        out.append("Wrote ")
                .append(cfg)
                .append(".\nA running server puts it into effect within seconds"
                        + " (the log says 'WireGuard interface ")
                .append(name)
                .append(" is up'); otherwise the next" + " start does. Check it with: wg show ")
                .append(name)
                .append('\n');
        return out.toString();
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] row : rows) {
            out.append("  ")
                    .append(row[0])
                    .append(" ".repeat(width - row[0].length()))
                    .append("  ")
                    .append(row[1])
                    .append('\n');
        }
    }
}
