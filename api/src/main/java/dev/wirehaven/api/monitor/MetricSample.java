package dev.wirehaven.api.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
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
 * @param buckets the distribution of a {@link Kind#HISTOGRAM}, whose {@code value} is then the number
 *        of observations; null for the other kinds (since 1.3)
 */
public record MetricSample(
        String name,
        double value,
        String unit,
        Map<String, String> tags,
        Instant timestamp,
        Kind kind,
        Buckets buckets) {

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
        GAUGE,
        /**
         * How observations (a handshake's duration, a request's latency) were distributed since its
         * subject started: cumulative {@link Buckets} with the sum of the observations, and their number
         * as the value. A sink that knows only counters and gauges may keep the value as a counter.
         *
         * @since 1.3
         */
        HISTOGRAM
    }

    /**
     * The distribution of a histogram since its subject started, in the shape Prometheus and
     * OpenTelemetry both take: {@code cumulativeCounts.get(i)} observations were at most
     * {@code upperBounds.get(i)}; the last bound is {@link Double#POSITIVE_INFINITY}, so the last count
     * is every observation.
     *
     * @param upperBounds the inclusive upper bound of each bucket, in the sample's unit, ascending, the
     *        last one {@link Double#POSITIVE_INFINITY}
     * @param cumulativeCounts the observations at most each bound; never decreasing
     * @param sum the sum of all observations, in the sample's unit; finite
     * @since 1.3
     */
    public record Buckets(List<Double> upperBounds, List<Long> cumulativeCounts, double sum) {

        /** Validates and copies. */
        public Buckets {
            upperBounds = List.copyOf(Objects.requireNonNull(upperBounds, "upperBounds"));
            cumulativeCounts = List.copyOf(Objects.requireNonNull(cumulativeCounts, "cumulativeCounts"));
            if (upperBounds.isEmpty() || upperBounds.size() != cumulativeCounts.size()) {
                throw new IllegalArgumentException("a histogram needs one count per bucket bound, and at least one: "
                        + upperBounds.size() + " bounds, " + cumulativeCounts.size() + " counts");
            }
            if (upperBounds.get(upperBounds.size() - 1) != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("the last bucket bound must be +Inf: " + upperBounds);
            }
            for (int i = 0; i < upperBounds.size(); i++) {
                if (upperBounds.get(i).isNaN() || (i > 0 && upperBounds.get(i) <= upperBounds.get(i - 1))) {
                    throw new IllegalArgumentException("bucket bounds must ascend: " + upperBounds);
                }
                if (cumulativeCounts.get(i) < 0 || (i > 0 && cumulativeCounts.get(i) < cumulativeCounts.get(i - 1))) {
                    throw new IllegalArgumentException("cumulative counts must not decrease: " + cumulativeCounts);
                }
            }
            if (!Double.isFinite(sum)) {
                throw new IllegalArgumentException("the sum of a histogram is not finite: " + sum);
            }
        }

        /** The number of observations: the count of the +Inf bucket. */
        public long count() {
            return cumulativeCounts.get(cumulativeCounts.size() - 1);
        }
    }

    /** A sample as 1.2 made them: a counter or a gauge, without buckets. */
    public MetricSample(
            String name, double value, String unit, Map<String, String> tags, Instant timestamp, Kind kind) {
        this(name, value, unit, tags, timestamp, kind, null);
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

    /**
     * A {@link Kind#HISTOGRAM}: a distribution since its subject started; its value is the number of
     * observations.
     *
     * @since 1.3
     */
    public static MetricSample histogram(
            String name, Buckets buckets, String unit, Map<String, String> tags, Instant timestamp) {
        return new MetricSample(
                name,
                Objects.requireNonNull(buckets, "buckets").count(),
                unit,
                tags,
                timestamp,
                Kind.HISTOGRAM,
                buckets);
    }

    /** Validates and copies. */
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.HISTOGRAM) != (buckets != null)) {
            throw new IllegalArgumentException("the " + kind + " " + name
                    + (buckets == null ? " has no buckets" : " has buckets, which only a histogram has"));
        }
        if (buckets != null && value != buckets.count()) {
            throw new IllegalArgumentException("the value of the histogram " + name + " is " + value
                    + ", not its number of observations " + buckets.count());
        }
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the metric name is blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the value of " + name + " is not finite: " + value);
        }
        if (kind != Kind.GAUGE && value < 0) {
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
