package dev.wirehaven.wireguard.internal.testing;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it; monotonic and wall time advance together. */
public final class TestClock implements Clock {

    private static final long EPOCH_START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final long wallOffset = EPOCH_START - nanos.get();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochNanos() {
        return nanos.get() + wallOffset;
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
