package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.time.Instant;

/**
 * How one kind of finding is judged and answered: the threshold that makes it, the window it is
 * counted in, its severity, and the response asked for (with the duration of a lasting one).
 */
record Rule(double threshold, Duration window, Severity severity, ResponseAction action, Duration duration) {

    /**
     * Until when a finding made at {@code now} is not repeated for the same key: while its response is
     * in force, and at least for one window, so that an attack that goes on raises one finding, not a
     * storm of them.
     */
    Instant quietUntil(Instant now) {
        Duration quiet = action.isLasting() && duration.compareTo(window) > 0 ? duration : window;
        return now.plus(quiet);
    }

    /** For the command: the threshold in its window. */
    String describeThreshold() {
        return ">= " + Texts.plain(threshold) + " within " + window;
    }

    /** For the command: what a finding is and does. */
    String describeResponse() {
        return severity + ", " + action + (action.isLasting() ? " for " + duration : "");
    }
}
