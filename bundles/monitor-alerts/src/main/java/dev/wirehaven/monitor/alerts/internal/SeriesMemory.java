package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The latest sample of each series that a threshold looks at (its metric, or the metric it is
 * relative to), and the rate since the one before: what a threshold needs beyond the sample in hand.
 * Series not seen for a while are forgotten, so that ended sessions do not pile up.
 */
final class SeriesMemory {

    /**
     * The latest of one series.
     *
     * @param value the sampled value
     * @param timestamp when it was measured
     * @param rate the increase per second since the previous sample, or NaN when there is none (the
     *        first sample, or the counter went down: its subject restarted, and that interval says nothing)
     * @param seen when it arrived here, by the sink's clock
     */
    record Observation(double value, Instant timestamp, double rate, Instant seen) {}

    private final Map<SeriesKey, Observation> latest = new HashMap<>();

    /** Remembers the sample and returns it with its rate. */
    Observation record(SeriesKey key, MetricSample sample, Instant seen) {
        Observation previous = latest.get(key);
        double rate = Double.NaN;
        if (previous != null
                && sample.timestamp().isAfter(previous.timestamp())
                && sample.value() >= previous.value()) {
            double seconds =
                    Duration.between(previous.timestamp(), sample.timestamp()).toNanos() / 1e9;
            rate = (sample.value() - previous.value()) / seconds;
        }
        Observation now = new Observation(sample.value(), sample.timestamp(), rate, seen);
        latest.put(key, now);
        return now;
    }

    /** The latest of a series, or null. */
    Observation latest(SeriesKey key) {
        return latest.get(key);
    }

    /** Forgets series that have not arrived since {@code cutoff}. */
    void forgetUnseenSince(Instant cutoff) {
        latest.values().removeIf(o -> o.seen().isBefore(cutoff));
    }

    /** Forgets the series of a session that ended. */
    void forgetSession(String sessionId) {
        latest.keySet().removeIf(k -> sessionId.equals(k.tags().get("session")));
    }

    int size() {
        return latest.size();
    }
}
