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
 * @param kind how the value relates to earlier samples of the same name and tags (since 1.2)
 */
public record MetricSample(
        String name, double value, String unit, Map<String, String> tags, Instant timestamp, Kind kind) {

    /**
     * What a value means over time, so that a sink can store it as its system expects (a Prometheus
     * counter, an OpenTelemetry sum, a gauge).
     *
     * @since 1.2
     */
    public enum Kind {
        /**
         * A running total since its subject started (a session's bytes, a rule's denied packets):
         * it only grows, and starts again from zero only when its subject does.
         */
        COUNTER,
        /** A value at the time of the sample (a handshake's age, sessions open now), which may go up or down. */
        GAUGE
    }

    /** A sample as 1.0 and 1.1 made them: a {@link Kind#GAUGE}, which says the least about the value. */
    public MetricSample(String name, double value, String unit, Map<String, String> tags, Instant timestamp) {
        this(name, value, unit, tags, timestamp, Kind.GAUGE);
    }

    /** A {@link Kind#COUNTER}: a running total. */
    public static MetricSample counter(
            String name, double value, String unit, Map<String, String> tags, Instant timestamp) {
        return new MetricSample(name, value, unit, tags, timestamp, Kind.COUNTER);
    }

    /** A {@link Kind#GAUGE}: a value now. */
    public static MetricSample gauge(
            String name, double value, String unit, Map<String, String> tags, Instant timestamp) {
        return new MetricSample(name, value, unit, tags, timestamp, Kind.GAUGE);
    }

    /** Validates and copies. */
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the metric name is blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the value of " + name + " is not finite: " + value);
        }
        if (kind == Kind.COUNTER && value < 0) {
            throw new IllegalArgumentException("the counter " + name + " is negative: " + value);
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
