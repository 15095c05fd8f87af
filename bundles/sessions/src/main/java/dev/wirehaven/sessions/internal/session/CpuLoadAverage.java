package dev.wirehaven.sessions.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * The process's CPU share as placement weighs it: an exponentially weighted average of the JDK's
 * samples over about {@link #TIME_CONSTANT}, the way a load average smooths a run queue. The JDK's
 * figure covers only the time since the last read (a second, at the heartbeat's pace), so one
 * garbage collection or one burst of compilation would otherwise move every new session away from a
 * node that is idle the rest of the time, and back again a second later.
 */
final class CpuLoadAverage implements DoubleSupplier {

    /** How long a change of load takes to count for about two thirds of the average. */
    static final Duration TIME_CONSTANT = Duration.ofSeconds(10);

    private final DoubleSupplier sample;
    private final Clock clock;
    private double average = Double.NaN;
    private Instant sampledAt;

    /**
     * @param sample the instantaneous load, 0 to 1, negative or not finite while not measured
     */
    CpuLoadAverage(DoubleSupplier sample, Clock clock) {
        this.sample = sample;
        this.clock = clock;
    }

    /** Reads a sample and returns the average with it, or -1 while nothing was measured. */
    @Override
    public synchronized double getAsDouble() {
        double load = sample.getAsDouble();
        Instant now = clock.instant();
        if (load >= 0 && Double.isFinite(load)) {
            fold(Math.min(1.0, load), now);
        }
        return Double.isNaN(average) ? -1 : average;
    }

    private void fold(double load, Instant now) {
        if (Double.isNaN(average)) {
            average = load;
        } else {
            double elapsed = Math.max(0, Duration.between(sampledAt, now).toNanos());
            // the weight a sample gets grows with the time it stands for: irregular beats average fairly
            double weight = 1.0 - Math.exp(-elapsed / TIME_CONSTANT.toNanos());
            average += weight * (load - average);
        }
        sampledAt = now;
    }
}
