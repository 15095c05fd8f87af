package dev.wirehaven.client.internal.supervise;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a connection gets its time from: what time it is, how long something took, waiting, and
 * running a step later. No class of a connection reads the system clock, sleeps or starts a timer by
 * itself, so that tests can run its schedule (status reports, re-authentication before expiry, the
 * setup and probe timeouts, backoff) on a test timebase instead of sleeping through real lifetimes.
 *
 * <p>Two clocks, as in the WireGuard module: wall time for what is compared with the server's
 * instants (a session's expiry) and what is shown (event times); monotonic time for timeouts and
 * round trips, which must not jump when someone sets the system clock.
 */
public interface Timebase {

    /** Wall time: session expiries come from the server as instants, and events carry one. */
    Clock clock();

    /** Monotonic nanoseconds for timeouts and round trips; unrelated to wall time. */
    long nanoTime();

    /** Waits {@code d}. Interruptible: {@code close()} interrupts the step that waits. */
    void sleep(Duration d) throws InterruptedException;

    /**
     * Runs {@code task} once after {@code delay}, on the timer's thread: a task that does real work
     * hands it to the workers, so that one slow connection does not hold up the others' timers.
     */
    Future<?> schedule(Duration delay, Runnable task);

    /** The system's clocks, and the client's timer thread. */
    static Timebase system(ScheduledExecutorService timer) {
        Objects.requireNonNull(timer, "timer");
        Clock wall = Clock.systemUTC();
        return new Timebase() {
            @Override
            public Clock clock() {
                return wall;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d.toMillis());
            }

            @Override
            public Future<?> schedule(Duration delay, Runnable task) {
                return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
    }
}
