package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.Severity;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A threshold as checked: which series it looks at, what it measures on them and where its two lines
 * are. Made from a {@link ThresholdConfig} by {@link #from}, which refuses what cannot work.
 *
 * @param name the operator's name for it
 * @param metric the metric watched
 * @param match tag values a series must have
 * @param measure the value, or the rate per second
 * @param aggregation each series, or sums
 * @param sumBy with sums: the tags that keep sums apart
 * @param relativeTo a metric to divide by, or empty
 * @param direction which side of the line is bad
 * @param raise the level that raises
 * @param clear the level that clears, on the good side of raise
 * @param samples samples in a row past raise before raising
 * @param severity of the raised alert
 */
record Threshold(
        String name,
        String metric,
        SortedMap<String, String> match,
        Measure measure,
        Aggregation aggregation,
        SortedSet<String> sumBy,
        String relativeTo,
        Direction direction,
        double raise,
        double clear,
        int samples,
        Severity severity) {

    /** What is compared with the levels. */
    enum Measure {
        /** The sampled value: for gauges. */
        VALUE,
        /** The increase per second since the previous sample: for counters. */
        RATE
    }

    /** How the matching series are combined. */
    enum Aggregation {
        /** Each series is checked, and alerts, on its own. */
        EACH,
        /** The series are summed, one sum per value of the {@code sum.by} tags. */
        SUM
    }

    /** Which side of the raise level is bad. */
    enum Direction {
        ABOVE,
        BELOW;

        /** {@code above} or {@code below}: where a raising value is. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The other word: where a clearing value is. */
        String clearWord() {
            return this == ABOVE ? "below" : "above";
        }
    }

    Threshold {
        match = Collections.unmodifiableSortedMap(new TreeMap<>(match));
        sumBy = Collections.unmodifiableSortedSet(new TreeSet<>(sumBy));
        Objects.requireNonNull(relativeTo, "relativeTo");
    }

    /** The threshold a configuration describes; a {@link ThresholdConfigException} names what is wrong. */
    static Threshold from(ThresholdConfig config) {
        String name = required("name", config.name(), "a short name such as heap");
        String metric = required("metric", config.metric(), "the metric to watch, such as jvm.heap.used");
        SortedMap<String, String> match = parseTags(config.tags());
        Measure measure = word("measure", config.measure(), Measure.class);
        Aggregation aggregation = word("aggregation", config.aggregation(), Aggregation.class);
        SortedSet<String> sumBy = new TreeSet<>(list(config.sum_by()));
        if (aggregation == Aggregation.EACH && !sumBy.isEmpty()) {
            throw new ThresholdConfigException(
                    "sum.by = " + String.join(",", sumBy) + " needs aggregation = sum: set it, or remove sum.by");
        }
        String relativeTo =
                config.relative_to() == null ? "" : config.relative_to().strip();
        if (!relativeTo.isEmpty() && aggregation == Aggregation.SUM) {
            // a share of a sum is a ratio of two sums over possibly different series; not supported yet
            throw new ThresholdConfigException("relative.to = " + relativeTo
                    + " cannot be combined with aggregation = sum: use aggregation = each, or remove relative.to");
        }
        Direction direction = word("direction", config.direction(), Direction.class);
        double raise = finite("raise", config.raise(), "the level at which the alert is raised");
        double clear = finite("clear", config.clear(), "the level at which a raised alert clears");
        if (direction == Direction.ABOVE && !(clear < raise)) {
            throw new ThresholdConfigException("clear = " + clear + " is not below raise = " + raise
                    + " (direction = above): set clear lower than raise, e.g. clear = " + suggestion(raise, -1)
                    + ", so that a value near the line does not raise and clear by turns");
        }
        if (direction == Direction.BELOW && !(clear > raise)) {
            throw new ThresholdConfigException("clear = " + clear + " is not above raise = " + raise
                    + " (direction = below): set clear higher than raise, e.g. clear = " + suggestion(raise, +1)
                    + ", so that a value near the line does not raise and clear by turns");
        }
        if (config.samples() < 1) {
            throw new ThresholdConfigException(
                    "samples = " + config.samples() + " is below 1: set samples = 1 to raise on the first sample");
        }
        Severity severity = word("severity", config.severity(), Severity.class);
        return new Threshold(
                name,
                metric,
                match,
                measure,
                aggregation,
                sumBy,
                relativeTo,
                direction,
                raise,
                clear,
                config.samples(),
                severity);
    }

    /** True when the series' tags have every value this threshold asks for. */
    boolean matches(Map<String, String> tags) {
        for (Map.Entry<String, String> m : match.entrySet()) {
            if (!m.getValue().equals(tags.get(m.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code value} is on the bad side of the raise level, the level itself included. */
    boolean pastRaise(double value) {
        return direction == Direction.ABOVE ? value >= raise : value <= raise;
    }

    /** True when {@code value} is back at or past the clear level. */
    boolean pastClear(double value) {
        return direction == Direction.ABOVE ? value <= clear : value >= clear;
    }

    /** The tags that name one checked series: all of them, or with sums only the {@code sum.by} ones. */
    SortedMap<String, String> checkedTags(Map<String, String> tags) {
        SortedMap<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (aggregation == Aggregation.EACH || sumBy.contains(t.getKey())) {
                kept.put(t.getKey(), t.getValue());
            }
        }
        return kept;
    }

    private static String required(String key, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new ThresholdConfigException(key + " is empty: set " + key + " to " + example);
        }
        return value.strip();
    }

    private static double finite(String key, double value, String what) {
        if (!Double.isFinite(value)) {
            throw new ThresholdConfigException(key + " is not set: set " + key + " to " + what + ", a number");
        }
        return value;
    }

    private static <E extends Enum<E>> E word(String key, String value, Class<E> type) {
        String w = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(w)) {
                return e;
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ThresholdConfigException(
                key + " = " + value + " is not one of " + String.join(", ", allowed) + ": set one of them");
    }

    /** {@code tag=value} entries, one per element or comma-separated (a .cfg file gives one string). */
    private static SortedMap<String, String> parseTags(String[] entries) {
        SortedMap<String, String> tags = new TreeMap<>();
        for (String entry : list(entries)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank()) {
                throw new ThresholdConfigException(
                        "tags entry '" + entry + "' is not tag=value: write it as e.g. tags = interface=wg0");
            }
            tags.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return tags;
    }

    private static Set<String> list(String[] values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return out;
    }

    /** A clear level 10 % of the raise level onto the good side (or 1 when raise is 0), as an example. */
    private static String suggestion(double raise, int side) {
        double step = raise == 0 ? 1 : Math.abs(raise) * 0.1;
        return Quantities.number(raise + side * step);
    }
}
