package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.crypto.TransportCiphers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared pool of threads that seal and open transport packets for every peer, fed by one
 * lock-free ring. When the ring is full the submitting thread does the work itself: natural
 * back-pressure for the readers, and no deadlock when a worker submits while draining a peer.
 * Idle workers spin briefly, then park until a producer wakes one.
 */
final class CryptoWorkers {

    /** The per-packet work: seal or open, set the element's state, kick its peer's queue. */
    interface Processor {
        void process(Element e, TransportCipher cipher);
    }

    private static final int SPINS = 64;

    private final MpmcRing<Element> ring;
    private final Processor processor;
    private final Thread[] threads;
    private final AtomicIntegerArray parked;
    private final AtomicInteger idle = new AtomicInteger();
    private volatile boolean closed;

    CryptoWorkers(String name, int count, int capacity, Processor processor) {
        this.ring = new MpmcRing<>(capacity);
        this.processor = processor;
        this.threads = new Thread[count];
        this.parked = new AtomicIntegerArray(count);
        for (int i = 0; i < count; i++) {
            int id = i;
            threads[i] = new Thread(() -> run(id), name + "-crypto-" + i);
            threads[i].setDaemon(true);
        }
    }

    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Queues {@code e} for a worker, or processes it on this thread if the ring is full. */
    void submit(Element e) {
        if (closed || !ring.offer(e)) {
            processor.process(e, TransportCiphers.forCurrentThread());
            return;
        }
        if (idle.get() > 0) {
            wakeOne();
        }
    }

    /**
     * Back-pressure for a producer whose peer queue is full: does one queued element's crypto on this
     * thread (which frees queue space sooner than waiting would), or yields if there is none.
     */
    void helpOrYield() {
        Element e = ring.poll();
        if (e != null) {
            processor.process(e, TransportCiphers.forCurrentThread());
        } else {
            Thread.yield();
        }
    }

    private void wakeOne() {
        for (int i = 0; i < threads.length; i++) {
            if (parked.get(i) == 1 && parked.compareAndSet(i, 1, 0)) {
                LockSupport.unpark(threads[i]);
                return;
            }
        }
    }

    private void run(int id) {
        TransportCipher cipher = TransportCiphers.create();
        while (!closed) {
            Element e = ring.poll();
            for (int spin = 0; e == null && spin < SPINS; spin++) {
                Thread.onSpinWait();
                e = ring.poll();
            }
            if (e == null) {
                parked.set(id, 1);
                idle.incrementAndGet();
                e = ring.poll();
                if (e == null && !closed) {
                    LockSupport.park(this);
                }
                idle.decrementAndGet();
                parked.set(id, 0);
                if (e == null) {
                    continue;
                }
            }
            processor.process(e, cipher);
        }
        // finish what is queued so that no element stays pending for ever
        Element e;
        while ((e = ring.poll()) != null) {
            processor.process(e, cipher);
        }
    }

    void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
