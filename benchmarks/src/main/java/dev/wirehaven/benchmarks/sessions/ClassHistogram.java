package dev.wirehaven.benchmarks.sessions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them after the
 * full collection that it makes first: {@code num: #instances #bytes class-name (module)} per line and
 * a {@code Total} line. Two of them, before and after, say which classes the sessions added.
 */
final class ClassHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)");

    /** Instances and bytes of one class. */
    record Entry(String className, long instances, long bytes) {}

    /** What one class gained between two histograms. */
    record Change(String className, long instances, long bytes) {}

    private final Map<String, Entry> byClass;
    private final long totalBytes;

    private ClassHistogram(Map<String, Entry> byClass, long totalBytes) {
        this.byClass = byClass;
        this.totalBytes = totalBytes;
    }

    static ClassHistogram parse(String jcmdOutput) {
        Map<String, Entry> byClass = new HashMap<>();
        long total = -1;
        for (String line : jcmdOutput.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String name = row.group(3);
                Entry previous = byClass.get(name);
                long instances = Long.parseLong(row.group(1));
                long bytes = Long.parseLong(row.group(2));
                // the same name from two class loaders (OSGi): counted together
                byClass.put(
                        name,
                        previous == null
                                ? new Entry(name, instances, bytes)
                                : new Entry(name, previous.instances() + instances, previous.bytes() + bytes));
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.find()) {
                total = Long.parseLong(t.group(2));
            }
        }
        if (total < 0) {
            throw new IllegalArgumentException("not a class histogram (no Total line): "
                    + jcmdOutput.substring(0, Math.min(300, jcmdOutput.length())));
        }
        return new ClassHistogram(byClass, total);
    }

    long totalBytes() {
        return totalBytes;
    }

    /** The classes that grew most from {@code before} to this one, largest first. */
    List<Change> largestGrowth(ClassHistogram before, int limit) {
        List<Change> changes = new ArrayList<>();
        for (Entry now : byClass.values()) {
            Entry then = before.byClass.get(now.className());
            long bytes = now.bytes() - (then == null ? 0 : then.bytes());
            long instances = now.instances() - (then == null ? 0 : then.instances());
            if (bytes > 0) {
                changes.add(new Change(now.className(), instances, bytes));
            }
        }
        changes.sort(Comparator.comparingLong(Change::bytes).reversed());
        return changes.subList(0, Math.min(limit, changes.size()));
    }

    /** Growth summed by the start of the class name (its package prefix), largest first. */
    Map<String, Long> growthByPrefix(ClassHistogram before, List<String> prefixes) {
        Map<String, Long> sums = new LinkedHashMap<>();
        prefixes.forEach(p -> sums.put(p, 0L));
        sums.put("(other)", 0L);
        for (Entry now : byClass.values()) {
            Entry then = before.byClass.get(now.className());
            long bytes = now.bytes() - (then == null ? 0 : then.bytes());
            String key = prefixes.stream()
                    .filter(p -> now.className().startsWith(p))
                    .findFirst()
                    .orElse("(other)");
            sums.merge(key, bytes, Long::sum);
        }
        return sums;
    }
}
