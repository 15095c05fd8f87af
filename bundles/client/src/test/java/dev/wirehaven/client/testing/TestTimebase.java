package dev.wirehaven.client.testing;

import dev.wirehaven.client.internal.supervise.Timebase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timebase for tests: its time runs {@code speedup} times faster than real time, and a test moves
 * it forward at will with {@link #advance}. A connection on it keeps its whole schedule (status
 * reports, re-authentication, setup and probe timeouts, backoff), only faster: at 20x a 5 s probe
 * lasts 250 ms. Waits are shortened, not skipped, because what a connection waits for in the tests
 * is real (a handshake over the in-memory network, an HTTPS answer) and needs some real time.
 *
 * <p>Wall time starts at the real time, as the WireGuard device stamps handshakes with the real
 * wall clock; the session lifetimes of {@link FakeControlServer} use {@link #clock()} when given it.
 */
public final class TestTimebase implements Timebase, AutoCloseable {

    private final long speedup;
    private final long realStart = System.nanoTime();
    private final Instant wallStart = Instant.now();
    private final AtomicLong advanced = new AtomicLong();
    private final Object waiters = new Object();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-timebase");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return wallStart.plusNanos(nanoTime());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    };

    public TestTimebase(int speedup) {
        if (speedup < 1) {
            throw new IllegalArgumentException("speedup " + speedup);
        }
        this.speedup = speedup;
    }

    /** Moves the time forward by {@code d} at once; sleeping threads wake if their time has come. */
    public void advance(Duration d) {
        advanced.addAndGet(d.toNanos());
        synchronized (waiters) {
            waiters.notifyAll();
        }
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Nanoseconds since this timebase was made: real ones times the speedup, plus what tests advanced. */
    @Override
    public long nanoTime() {
        return (System.nanoTime() - realStart) * speedup + advanced.get();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        long deadline = nanoTime() + d.toNanos();
        synchronized (waiters) {
            for (long left = deadline - nanoTime(); left > 0; left = deadline - nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(waiters, Math.max(1, left / speedup));
            }
        }
    }

    /** Runs {@code task} after {@code delay} of this timebase's time (not woken early by {@link #advance}). */
    @Override
    public Future<?> schedule(Duration delay, Runnable task) {
        long real = (delay.toNanos() + speedup - 1) / speedup;
        return timer.schedule(task, real, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
