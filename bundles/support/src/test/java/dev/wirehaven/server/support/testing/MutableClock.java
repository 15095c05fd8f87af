package dev.wirehaven.server.support.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock that tests move by hand, in UTC: injected where the code reads the time, so that timeouts,
 * expiries and windows are tested without sleeping. It starts at the real time in microseconds, the
 * precision the store keeps instants with, unless given a start.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock() {
        this(Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at the real time now. */
    public static MutableClock startingNow() {
        return new MutableClock();
    }

    public synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant instant) {
        now = instant;
    }

    /** Moves to the real time when that is later: for tests that mix this clock with real waits. */
    public synchronized void catchUp() {
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
        throw new UnsupportedOperationException("the tests' clock is UTC");
    }
}
