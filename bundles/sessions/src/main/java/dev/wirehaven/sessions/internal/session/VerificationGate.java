package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.spi.FlowException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Bounds the credential checks in progress: at most {@link VerificationLimits#concurrent()} run at
 * once and at most {@link VerificationLimits#queued()} more wait for a place; one more is refused at
 * once as BUSY (503 with Retry-After) instead of joining an unbounded queue of request threads, each
 * holding its client's connection (and for Argon2, soon 19 MiB). The limits are read at every
 * entry, so a configuration change applies to the next login.
 *
 * <p>A check that waits holds its request thread, and none of the flow's locks: the flow checks
 * credentials outside the session locks (see {@code SessionFlow#authenticate}).
 */
final class VerificationGate {

    /** What a refused login is told: a check takes tens of milliseconds, a slow directory a few seconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Supplier<VerificationLimits> limits;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition free = lock.newCondition();
    private int running;
    private int waiting;

    VerificationGate(Supplier<VerificationLimits> limits) {
        this.limits = limits;
    }

    /** A place taken by one check; closing it lets the next one in. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a place for one check, waiting for one while the queue has room.
     *
     * @throws FlowException BUSY when as many checks run and wait as the limits allow
     */
    Slot enter() throws FlowException {
        lock.lock();
        try {
            VerificationLimits l = limits.get();
            if (running + waiting >= l.concurrent() + l.queued()) {
                throw busy();
            }
            waiting++;
            try {
                while (running >= limits.get().concurrent()) {
                    free.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            } finally {
                waiting--;
            }
            running++;
            AtomicBoolean left = new AtomicBoolean();
            return () -> {
                if (left.compareAndSet(false, true)) {
                    leave();
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /** Checks running now (for tests and diagnostics). */
    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Checks waiting for a place now (for tests and diagnostics). */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            running--;
            free.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static FlowException busy() {
        return FlowException.busy("The server is checking as many credentials as it can take now", RETRY_AFTER);
    }
}
