package dev.wirehaven.sessions.internal.monitor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the ones it held back, so that a sink that
 * fails on every item, or falls behind for an hour, costs one line a minute instead of flooding
 * the log it is meant to spare. (The session flow uses one too, for a limit that a flood hits on
 * every request.)
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
    }

    /**
     * @return -1 when the caller must stay quiet; otherwise how many lines were held back since the
     *         last one that went through
     */
    public long permit() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
