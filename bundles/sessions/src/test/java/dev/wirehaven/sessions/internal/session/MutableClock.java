package dev.wirehaven.sessions.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock that tests move by hand. It starts at the real time, because the WireGuard device stamps
 * handshakes with the real wall clock and the session layer compares its own clock with them.
 */
final class MutableClock extends Clock {

    // microseconds, as the store keeps instants (the server's clock ticks the same way)
    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    void advance(Duration d) {
        now = now.plus(d);
    }

    /** Catches up with the real time (after a real handshake), never going back. */
    void catchUp() {
        Instant real = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (real.isAfter(now)) {
            now = real;
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
