package dev.wirehaven.sessions.internal.session;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The system clock in whole microseconds, the precision of the store's timestamps, so that a deadline
 * read back from the store is the one computed. {@code Clock.tick(systemUTC(), 1 µs)} would say the
 * same, but on JDK 17 its {@link #millis()} divides by zero for a tick under a millisecond (fixed in
 * later JDKs), and every caller of {@code millis()} on the session layer's clock would fail.
 */
final class MicrosecondClock extends Clock {

    private final Clock system;

    MicrosecondClock(Clock system) {
        this.system = system;
    }

    /** The system clock in UTC, in whole microseconds. */
    static MicrosecondClock ofSystemUtc() {
        return new MicrosecondClock(Clock.systemUTC());
    }

    @Override
    public Instant instant() {
        return system.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long millis() {
        return system.millis();
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MicrosecondClock(system.withZone(zone));
    }
}
