package dev.wirehaven.api.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One measurement: a named value with its unit, tags that say what it was measured on, and when.
 * Names are dotted lower case, such as {@code wirehaven.session.rx.bytes}; tags carry dimensions
 * such as {@code session}, {@code user} or {@code interface}, so that one name covers all sessions.
 *
 * @param name the metric name; not blank
 * @param value the value; finite
 * @param unit the unit in UCUM-like short form ({@code By} for bytes, {@code s}, {@code ms},
 *        {@code 1} for a plain count); not null, empty only for a unitless ratio
 * @param tags dimensions of the measurement, sorted by name; copied
 * @param timestamp when the value was measured
 */
public record MetricSample(String name, double value, String unit, Map<String, String> tags, Instant timestamp) {

    /** Validates and copies. */
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the metric name is blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the value of " + name + " is not finite: " + value);
        }
        SortedMap<String, String> t = new TreeMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(tags, "tags").entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("a tag of " + name + " has a blank name or a null value");
            }
            t.put(e.getKey(), e.getValue());
        }
        tags = Collections.unmodifiableSortedMap(t);
    }
}
