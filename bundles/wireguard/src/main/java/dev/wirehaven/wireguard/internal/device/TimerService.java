package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread that fires every peer's timers. Peers register a wake-up only when their earliest
 * deadline moves earlier than the one already registered (see {@link PeerTimers}), so pushing a timer
 * later on every packet costs nothing here; a stale wake-up finds nothing due and re-registers.
 *
 * <p>With a controlled clock, tests run no thread and call {@link #runDue()} after moving the clock.
 */
final class TimerService {

    private record Wake(long when, long seq, PeerTimers target) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Wake> queue = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.when - b.when, 0);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private long seq;
    private Thread thread;
    private volatile boolean closed;

    TimerService(Clock clock) {
        this.clock = clock;
    }

    void start(String name) {
        thread = new Thread(this::run, name + "-timers");
        thread.setDaemon(true);
        thread.start();
    }

    void schedule(PeerTimers target, long when) {
        lock.lock();
        try {
            Wake w = new Wake(when, seq++, target);
            queue.add(w);
            if (queue.peek() == w) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets every wake-up of {@code target}. A removed peer's wake-up would otherwise keep the peer
     * (keys, queues, handshake state) reachable until it fell due, which for the key-zeroing timer
     * is minutes: on a server where sessions come and go, thousands of dead peers.
     */
    void cancel(PeerTimers target) {
        lock.lock();
        try {
            queue.removeIf(w -> w.target == target);
        } finally {
            lock.unlock();
        }
    }

    /** How many wake-ups of {@code target} are queued. */
    int pending(PeerTimers target) {
        lock.lock();
        try {
            return (int) queue.stream().filter(w -> w.target == target).count();
        } finally {
            lock.unlock();
        }
    }

    /** Fires every wake-up that is due now; returns how many ran. */
    int runDue() {
        int n = 0;
        while (true) {
            Wake w;
            long now = clock.nanoTime();
            lock.lock();
            try {
                w = queue.peek();
                if (w == null || w.when - now > 0) {
                    return n;
                }
                queue.poll();
            } finally {
                lock.unlock();
            }
            w.target.fire(w.when, now);
            n++;
        }
    }

    private void run() {
        while (!closed) {
            lock.lock();
            try {
                Wake w = queue.peek();
                long delay = w == null ? TimeUnit.SECONDS.toNanos(60) : w.when - clock.nanoTime();
                if (delay > 0) {
                    changed.awaitNanos(delay);
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                runDue();
            } catch (RuntimeException e) {
                // peers catch their own failures; this only keeps every other peer's timers alive
                continue;
            }
        }
    }

    void close() {
        closed = true;
        lock.lock();
        try {
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
