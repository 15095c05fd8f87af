package dev.wirehaven.client.internal.supervise;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One step of a connection at a time (the flow, each status report, the diagnosis, each reconnect
 * attempt), on the client's shared worker threads: no step races with another step of the same
 * connection, so the steps need no locks among themselves, and a thousand connections share a few
 * threads instead of holding one each. Only the policy long poll runs beside the lane.
 *
 * <p>Each step schedules its successor. An active connection has two such chains, the status reports
 * and the gateway watch, each ended by its generation at a loss; {@link #interrupt()} cancels the step
 * scheduled last, and any other finds the connection closing when its time comes and does nothing.
 */
final class Lane {

    private final ReentrantLock lock = new ReentrantLock();
    private final Timebase time;
    private final Executor workers;
    private final BooleanSupplier closing;
    private volatile Thread running;
    private volatile Future<?> next;

    /** @param closing true once the connection is being closed: nothing runs or is scheduled after */
    Lane(Timebase time, Executor workers, BooleanSupplier closing) {
        this.time = time;
        this.workers = workers;
        this.closing = closing;
    }

    /** Enters the lane in the caller's thread (the flow of {@code open()}, which the caller waits for). */
    void enter() {
        lock.lock();
        running = Thread.currentThread();
    }

    /** Leaves what {@link #enter()} entered; the caller's interrupt status stays as it is. */
    void leave() {
        running = null;
        lock.unlock();
    }

    /** Runs {@code step} in the lane after {@code delay}, unless the connection is closing by then. */
    void schedule(Runnable step, Duration delay) {
        if (closing.getAsBoolean()) {
            return;
        }
        next = time.schedule(delay, () -> workers.execute(() -> run(step)));
    }

    /**
     * Stops what the lane is doing, for {@code close()}: the scheduled step is cancelled and a running
     * one interrupted (a flow waiting for its handshake, a diagnosis probing); it notices and ends.
     */
    void interrupt() {
        Future<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
        Thread t = running;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    /** Runs {@code task} once the running step is done, with no step running meanwhile (the teardown). */
    void exclusively(Runnable task) {
        lock.lock();
        try {
            task.run();
        } finally {
            lock.unlock();
        }
    }

    private void run(Runnable step) {
        lock.lock();
        try {
            if (closing.getAsBoolean()) {
                return;
            }
            running = Thread.currentThread();
            step.run();
        } finally {
            try {
                running = null;
                Thread.interrupted(); // a close() that interrupted this step must not reach the pool's next task
            } finally {
                lock.unlock();
            }
        }
    }
}
