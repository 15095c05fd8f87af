package dev.wirehaven.monitor.threats.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * One user's traffic rate, interval by interval, and the baseline it is judged against: an
 * exponentially weighted mean of the user's past interval rates. The first intervals only teach the
 * baseline. After that an interval is anomalous when its rate is above both {@code factor} times the
 * baseline and an absolute floor (so that a user who is usually idle is not flagged for a download).
 *
 * <p>An anomalous interval is left out of the baseline altogether. Letting it in even with a capped
 * weight would let an exfiltration that lasts raise the bar it is measured against, until it looks
 * normal; the price is that a user whose usage really grew keeps raising a finding (one per quiet
 * window) until an operator raises the factor or the floor.
 */
final class UserTraffic {

    /** A closed interval: its rate in bytes per second, the baseline it was judged on, the verdict. */
    record Interval(double rate, double baseline, boolean learning, boolean anomalous) {}

    private Instant intervalStart;
    private boolean primed;
    private double bytes;
    private long learned;
    private double baseline;
    private Instant quietUntil = Instant.MIN;

    /**
     * Adds {@code amount} bytes reported at {@code now}; returns the interval this closes, or
     * {@code null}. The server reports all of a user's counters at about the same moment, so an interval
     * is closed by the first report that comes after it ends, before that report is added: each closed
     * interval then holds whole rounds of reports rather than a round split across two intervals.
     */
    Interval add(double amount, Instant now, TrafficSettings s) {
        Interval closed = null;
        if (intervalStart == null) {
            intervalStart = now;
        } else {
            Duration elapsed = Duration.between(intervalStart, now);
            if (elapsed.compareTo(s.interval()) >= 0) {
                closed = close(bytes / (elapsed.toNanos() / 1e9), s);
                bytes = 0;
                intervalStart = now;
            }
        }
        bytes += amount;
        return closed;
    }

    private Interval close(double rate, TrafficSettings s) {
        if (!primed) {
            // the user's first interval saw only the counters' starting points, not traffic
            primed = true;
            return null;
        }
        if (learned < s.learningIntervals()) {
            learn(rate, s.weight());
            return new Interval(rate, baseline, true, false);
        }
        double judgedOn = baseline;
        boolean anomalous = rate > s.factor() * baseline && rate >= s.floorBytesPerSecond();
        if (!anomalous) {
            learn(rate, s.weight());
        }
        return new Interval(rate, judgedOn, false, anomalous);
    }

    private void learn(double rate, double weight) {
        baseline = learned == 0 ? rate : baseline + weight * (rate - baseline);
        learned++;
    }

    /** True while a finding for this user is not to be repeated. */
    boolean quiet(Instant now) {
        return now.isBefore(quietUntil);
    }

    void quietUntil(Instant until) {
        quietUntil = until;
    }

    double baseline() {
        return baseline;
    }
}
