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
 *
 * <p><b>Chains.</b> A reader that takes packets in bursts (a TUN super-packet cut into segments, a
 * recvmmsg batch) {@linkplain #hold() holds} what it submits and {@linkplain #flushHeld() flushes}
 * it at the end of the burst as one chain: one ring slot, at most one wake-up, and one worker that
 * seals or opens the whole run and kicks each peer's queue once, after the run's last packet of that
 * queue, so that the queue's drain finds the run ready and sends or writes it as one batch. Per packet
 * this saves the ring's atomics, the wake-ups (a futex call and a context switch each, which cost
 * more than the crypto on a 2-vCPU VM: see the wireguard README, "Where the time goes") and the
 * drains that found one packet ready; wireguard-go hands its workers whole batches for the same
 * reason. Workers still take chains in parallel, a burst each.
 */
final class CryptoWorkers {

    /**
     * The per-packet work: seal or open and set the element's state; then, if {@code kick}, kick its
     * peer's queue (false when the next element of the same chain belongs to the same queue and will).
     */
    interface Processor {
        void process(Element e, TransportCipher cipher, boolean kick);
    }

    private static final int SPINS = 64;
    /** The most packets a held chain collects before it goes: a queue's drain batch. */
    static final int MAX_CHAIN = InOrderQueue.BATCH;

    /** What the calling thread submitted while holding, linked through {@link Element#chained}. */
    private static final class Held {
        boolean holding;
        Element head;
        Element tail;
        int length;
    }

    /** Per device and thread: a reader of this device holds, everyone else submits at once. */
    private final ThreadLocal<Held> held = ThreadLocal.withInitial(Held::new);

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

    /**
     * Queues {@code e} for a worker, or processes it on this thread if the ring is full; on a thread
     * that {@linkplain #hold() holds}, appends it to the thread's chain instead.
     */
    void submit(Element e) {
        Held h = held.get();
        if (!h.holding) {
            enqueue(e);
            return;
        }
        if (h.head == null) {
            h.head = e;
        } else {
            h.tail.chained = e;
        }
        h.tail = e;
        if (++h.length == MAX_CHAIN) {
            flush(h);
        }
    }

    /**
     * From now on, what the calling thread submits waits in its chain until {@link #flushHeld()}: for
     * a reader, which must flush before anything that may block (its next read, a wait, its end).
     */
    void hold() {
        held.get().holding = true;
    }

    /** Hands the calling thread's chain, if any, to the workers. */
    void flushHeld() {
        Held h = held.get();
        if (h.head != null) {
            flush(h);
        }
    }

    private void flush(Held h) {
        Element head = h.head;
        h.head = null;
        h.tail = null;
        h.length = 0;
        enqueue(head);
    }

    /** Queues a chain (or one element) for a worker, or processes it here if the ring is full or closed. */
    private void enqueue(Element head) {
        if (closed || !ring.offer(head)) {
            processChain(head, TransportCiphers.forCurrentThread());
            return;
        }
        if (idle.get() > 0) {
            wakeOne();
        }
    }

    /**
     * Back-pressure for a producer whose peer queue is full: first lets its own held chain go (it may
     * hold the very packets that fill the queue), then does one queued chain's crypto on this thread
     * (which frees queue space sooner than waiting would), or yields if there is none.
     */
    void helpOrYield() {
        flushHeld();
        Element e = ring.poll();
        if (e != null) {
            processChain(e, TransportCiphers.forCurrentThread());
        } else {
            Thread.yield();
        }
    }

    /** Processes a chain in order; a queue is kicked after the last of a run of its packets. */
    private void processChain(Element head, TransportCipher cipher) {
        Element e = head;
        while (e != null) {
            Element next = e.chained; // read before e is published: then another thread may recycle it
            e.chained = null;
            boolean kick = next == null || next.peer != e.peer || next.outbound != e.outbound;
            processor.process(e, cipher, kick);
            e = next;
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
            processChain(e, cipher);
        }
        // finish what is queued so that no element stays pending for ever
        Element e;
        while ((e = ring.poll()) != null) {
            processChain(e, cipher);
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
