package dev.wirehaven.wireguard.internal.device;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One peer's packets in the order they must leave (outbound: nonce order; inbound: arrival order),
 * while crypto workers finish them in any order. Instead of a thread per peer, whoever makes the head
 * ready (the worker that finished it, or a producer) "kicks" the queue and, if no other thread is
 * already draining it, delivers every finished element at the head, stopping at the first pending one,
 * like the kernel's per-peer work items. So 1000 idle peers cost no threads, and one peer's slow
 * delivery never holds up another peer's.
 *
 * <p>The links are guarded by the queue's own monitor, held only for a few field updates; the drain
 * runs without it.
 */
abstract class InOrderQueue {

    private static final AtomicIntegerFieldUpdater<InOrderQueue> DRAINING =
            AtomicIntegerFieldUpdater.newUpdater(InOrderQueue.class, "draining");
    /** Deliveries between two {@link #endBatch} calls (and so the most a send batch holds). */
    static final int BATCH = 64;

    /**
     * How often a producer that finds a peer's queue full does crypto work for the workers (which frees
     * room sooner than waiting would) before it drops the packet.
     */
    static final int FULL_QUEUE_PATIENCE = 4096;

    private Element head;
    private Element tail;
    private int size;
    private volatile int draining;

    /** Appends {@code e} (not yet done); false if {@code limit} elements are already queued. */
    final synchronized boolean offer(Element e, int limit) {
        if (size >= limit) {
            return false;
        }
        e.next = null;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
        size++;
        return true;
    }

    final synchronized int size() {
        return size;
    }

    /** Delivers the finished elements at the head, unless another thread is already doing so. */
    final void kick() {
        while (DRAINING.compareAndSet(this, 0, 1)) {
            try {
                drain();
            } finally {
                draining = 0;
            }
            // an element finished while we were leaving: its finisher saw us draining and gave up
            if (!headReady()) {
                return;
            }
        }
    }

    private void drain() {
        int n = 0;
        Element e;
        while ((e = takeReadyHead()) != null) {
            if (e.state == Element.DONE) {
                deliver(e);
            } else {
                discard(e);
            }
            if (++n % BATCH == 0) {
                endBatch();
            }
        }
        if (n % BATCH != 0) {
            endBatch();
        }
    }

    private synchronized Element takeReadyHead() {
        Element e = head;
        if (e == null || e.state == Element.PENDING) {
            return null;
        }
        head = e.next;
        if (head == null) {
            tail = null;
        }
        e.next = null;
        size--;
        return e;
    }

    private synchronized boolean headReady() {
        return head != null && head.state != Element.PENDING;
    }

    /** Handles one finished element in order and releases it; must not throw. */
    abstract void deliver(Element e);

    /** Releases one dropped element (its drop was counted where it happened). */
    abstract void discard(Element e);

    /** Called after each batch of deliveries, for per-batch work such as timers. */
    abstract void endBatch();
}
