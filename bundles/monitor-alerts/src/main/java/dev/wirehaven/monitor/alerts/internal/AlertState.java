package dev.wirehaven.monitor.alerts.internal;

import java.time.Instant;

/**
 * Where one checked series stands against one threshold: how many samples in a row were past the
 * raise level, and whether its alert is raised. Hysteresis lives here: once raised, only a value back
 * at or past the clear level clears it, so a value wandering around the raise level raises once.
 */
final class AlertState {

    /** What one observation changed. */
    enum Change {
        NONE,
        RAISED,
        CLEARED
    }

    private int pastRaiseInARow;
    private boolean raised;
    private Instant raisedAt;
    private double value = Double.NaN;
    private String unit = "";
    private Instant seen;

    AlertState(Instant seen) {
        this.seen = seen;
    }

    /** The series arrived, whether or not it gave a value to check (a first counter sample gives none). */
    void seen(Instant now) {
        this.seen = now;
    }

    /** Checks one value of the series against the threshold. */
    Change observe(Threshold threshold, double value, String unit, Instant now) {
        this.value = value;
        this.unit = unit;
        this.seen = now;
        if (raised) {
            if (threshold.pastClear(value)) {
                raised = false;
                raisedAt = null;
                pastRaiseInARow = 0;
                return Change.CLEARED;
            }
            return Change.NONE;
        }
        if (!threshold.pastRaise(value)) {
            pastRaiseInARow = 0;
            return Change.NONE;
        }
        pastRaiseInARow++;
        if (pastRaiseInARow < threshold.samples()) {
            return Change.NONE;
        }
        raised = true;
        raisedAt = now;
        return Change.RAISED;
    }

    boolean raised() {
        return raised;
    }

    /** When the alert was raised; null when it is not. */
    Instant raisedAt() {
        return raisedAt;
    }

    /** The last value checked, NaN before the first. */
    double value() {
        return value;
    }

    /** The unit of {@link #value()}. */
    String unit() {
        return unit;
    }

    Instant seen() {
        return seen;
    }
}
