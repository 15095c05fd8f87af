package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import java.time.Instant;

/**
 * The security events an alert becomes: {@link SecurityEvent#ALERT_RAISED} with the threshold's
 * severity, {@link SecurityEvent#ALERT_CLEARED} as INFO. The detail names the threshold, the series
 * with its tags, the value and the level, so that the line alone tells an operator what happened.
 * The user is the series' {@code user} tag, or empty; an alert has no remote source.
 */
final class AlertReport {

    private AlertReport() {}

    static SecurityEvent raised(Threshold t, String series, String user, double value, String unit, Instant at) {
        String detail = "threshold \"" + t.name() + "\" raised: " + series + " = " + Quantities.format(value, unit)
                + " " + t.direction().word() + " " + Quantities.format(t.raise(), unit)
                + (t.samples() > 1 ? " for " + t.samples() + " samples in a row" : "");
        return new SecurityEvent(SecurityEvent.ALERT_RAISED, t.severity(), at, user, null, detail);
    }

    static SecurityEvent cleared(Threshold t, String series, String user, double value, String unit, Instant at) {
        String detail = "threshold \"" + t.name() + "\" cleared: " + series + " = " + Quantities.format(value, unit)
                + ", back at or " + t.direction().clearWord() + " " + Quantities.format(t.clear(), unit);
        return cleared(detail, user, at);
    }

    /** The series is gone; {@code why} says how we know ({@code not seen for 10 min}, {@code its session ended}). */
    static SecurityEvent wentAway(Threshold t, String series, String user, String why, Instant at) {
        return cleared("threshold \"" + t.name() + "\" cleared: " + series + " went away (" + why + ")", user, at);
    }

    static SecurityEvent thresholdRemoved(Threshold t, String series, String user, Instant at) {
        return cleared(
                "threshold \"" + t.name() + "\" cleared: " + series
                        + " is no longer checked (the threshold was removed or changed)",
                user,
                at);
    }

    private static SecurityEvent cleared(String detail, String user, Instant at) {
        return new SecurityEvent(SecurityEvent.ALERT_CLEARED, Severity.INFO, at, user, null, detail);
    }
}
