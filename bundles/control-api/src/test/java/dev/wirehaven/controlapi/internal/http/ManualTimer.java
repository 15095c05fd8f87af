package dev.wirehaven.controlapi.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link DeadlineTimer} whose time moves only when the test says so; due tasks run on the test's thread. */
final class ManualTimer implements DeadlineTimer {

    private record Task(Instant due, Duration delay, Runnable task, AtomicBoolean cancelled) {}

    private final List<Task> tasks = new ArrayList<>();
    private final Semaphore scheduled = new Semaphore(0);
    private Instant now = Instant.parse("2026-11-25T10:00:00Z");

    @Override
    public synchronized Scheduled schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay), delay, task, new AtomicBoolean());
        tasks.add(t);
        scheduled.release();
        return () -> t.cancelled().set(true);
    }

    /** Waits until the servlet has scheduled a deadline (it began to read a body); fails if it never does. */
    void awaitScheduled() throws InterruptedException {
        if (!scheduled.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the servlet never set a deadline for the request body");
        }
    }

    /** The delays of the deadlines that are neither cancelled nor run. */
    synchronized List<Duration> pending() {
        return tasks.stream().filter(t -> !t.cancelled().get()).map(Task::delay).toList();
    }

    /** Moves the time on and runs what fell due and was not cancelled. */
    void advance(Duration d) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            now = now.plus(d);
            tasks.removeIf(t -> {
                if (t.cancelled().get()) {
                    return true;
                }
                if (!t.due().isAfter(now)) {
                    due.add(t);
                    return true;
                }
                return false;
            });
        }
        due.forEach(t -> t.task().run());
    }
}
