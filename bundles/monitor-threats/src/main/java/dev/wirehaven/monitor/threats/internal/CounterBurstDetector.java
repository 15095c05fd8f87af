package dev.wirehaven.monitor.threats.internal;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * A detector that judges how fast a counter grows (refused handshakes of a source, denied destinations
 * of a session): the counter's increases ({@link CounterSeries}) are summed by key in a sliding window
 * ({@link Bursts}) against one {@link Rule}. The subclasses say which metric, which key and what a
 * finding says.
 *
 * @param <C> the typed configuration
 */
abstract class CounterBurstDetector<C extends Annotation> extends ConfiguredDetector<C, CounterBurstSettings> {

    final FindingReporter reporter;
    final Clock clock;
    private CounterSeries counters;
    private Bursts bursts;

    CounterBurstDetector(String name, Class<C> type, FindingReporter reporter, Clock clock) {
        super(name, type);
        this.reporter = reporter;
        this.clock = clock;
    }

    @Override
    final synchronized void apply(CounterBurstSettings previous, CounterBurstSettings next) {
        if (previous == null || previous.maxKeys() != next.maxKeys()) {
            counters = new CounterSeries(next.maxKeys(), clock);
            bursts = new Bursts(next.maxKeys());
        }
    }

    /**
     * Adds the growth of the series {@code series} to its value {@code value} to the burst of
     * {@code key}; returns the burst's sum when it makes a finding now.
     */
    final synchronized OptionalDouble grew(String series, double value, String key, Rule rule, Instant now) {
        return bursts.add(key, counters.increase(series, value), rule, now);
    }

    /** The response to {@code key}'s finding ended: judge it afresh ({@link Bursts#responseEnded}). */
    final synchronized void responseEnded(String key) {
        bursts.responseEnded(key);
    }

    /** For tests: how many counter series and keys are tracked. */
    final synchronized int trackedKeys() {
        return counters.size() + bursts.size();
    }
}
