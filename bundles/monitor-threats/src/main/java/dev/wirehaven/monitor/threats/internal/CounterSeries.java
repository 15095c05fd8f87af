package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The increases of {@link MetricSample.Kind#COUNTER} series, by series key. A counter is a running
 * total, so what a detector judges is how much it grew since its previous sample. A value below the
 * previous one means the counter's subject started again (a device or session restarted): the new
 * value is then all the increase.
 *
 * <p>The first sample of a series depends on when it comes. During the {@link #WARM_UP} after this
 * bundle started (or was swapped in), a series may have been counting long before: its first value is
 * only a starting point, because a lifetime total is not a burst. After the warm-up, a series that
 * appears is new (a session that just connected, a source that just entered the device's table), so it
 * started from zero and its whole value is the increase: otherwise a session that scans in its first
 * ten seconds would never be seen.
 */
final class CounterSeries {

    /** Two of the server's 10 s sampling rounds: every series that existed at the start has shown up by then. */
    static final Duration WARM_UP = Duration.ofSeconds(25);

    private final Bounded<String, Double> last;
    private final Clock clock;
    private final Instant warmUntil;

    CounterSeries(int maxKeys, Clock clock) {
        this.last = new Bounded<>(maxKeys);
        this.clock = clock;
        this.warmUntil = clock.instant().plus(WARM_UP);
    }

    /** The increase of the series {@code key} to {@code value}; see the class comment for its first sample. */
    double increase(String key, double value) {
        Double previous = last.put(key, value);
        if (previous == null) {
            return clock.instant().isBefore(warmUntil) ? 0 : value;
        }
        return value >= previous ? value - previous : value;
    }

    int size() {
        return last.size();
    }
}
