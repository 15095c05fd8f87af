package dev.wirehaven.controlapi.internal.http;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once a deadline has passed: the control API's only clock, injected so that the tests
 * move time by hand instead of waiting for it.
 */
@FunctionalInterface
interface DeadlineTimer {

    /** A scheduled task that has not run yet; cancelling one that ran does nothing. */
    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} on a thread of the timer's own once {@code delay} has passed, unless cancelled first. */
    Scheduled schedule(Duration delay, Runnable task);

    /** A timer on a scheduled executor. */
    static DeadlineTimer on(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
