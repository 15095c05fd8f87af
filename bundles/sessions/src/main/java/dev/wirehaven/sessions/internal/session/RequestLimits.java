package dev.wirehaven.sessions.internal.session;

import java.time.Duration;

/**
 * The limits on connection requests ({@code POST /api/v1/sessions}), which anyone may send before
 * authenticating and each of which writes a session row and two event-log rows.
 *
 * @param perMinute connection requests per minute from one source (an IPv4 address, an IPv6 /64) in the long run
 * @param burst how many a source may send at once after a quiet spell
 * @param maxPending open sessions not yet authenticated (challenges still running), from all sources together
 * @param maxPendingPerSource the same, from one source
 */
record RequestLimits(int perMinute, int burst, int maxPending, int maxPendingPerSource) {

    RequestLimits {
        if (perMinute < 1 || burst < 1 || maxPending < 1 || maxPendingPerSource < 1) {
            throw new IllegalArgumentException("every request limit must be at least 1");
        }
    }

    /** The time that earns one request back: a minute divided by the rate. */
    Duration interval() {
        return Duration.ofNanos(Duration.ofMinutes(1).toNanos() / perMinute);
    }
}
