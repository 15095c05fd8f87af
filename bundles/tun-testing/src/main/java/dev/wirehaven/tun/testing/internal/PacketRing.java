package dev.wirehaven.tun.testing.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of packets for the in-memory devices.
 *
 * <p>Each slot keeps its byte array between uses and only grows it for a longer packet, so a ring
 * that has warmed up copies packets without allocating: the load benchmarks that run on in-memory
 * devices would otherwise measure this fake's garbage instead of the code under test.
 */
public final class PacketRing {

    /** Returned by the take methods once the ring is closed. */
    public static final int CLOSED = -1;
    /** Returned by {@link #poll} when the timeout passed with no packet. */
    public static final int TIMED_OUT = -2;

    private final byte[][] slots;
    private final int[] lengths;
    private final int initialSlotSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;
    private int count;
    private boolean closed;

    /**
     * @param capacity how many packets the ring holds before it is full
     * @param initialSlotSize the slot size allocated on first use (the MTU is a good choice)
     */
    public PacketRing(int capacity, int initialSlotSize) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
        this.initialSlotSize = Math.max(1, initialSlotSize);
    }

    /** Adds a copy of the packet unless the ring is full. @return false if full or closed */
    public boolean offer(byte[] src, int off, int len) {
        lock.lock();
        try {
            if (closed || count == slots.length) {
                return false;
            }
            enqueue(src, off, len);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a copy of the packet, waiting while the ring is full. @return false if the ring is closed */
    public boolean put(byte[] src, int off, int len) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && count == slots.length) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            enqueue(src, off, len);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest packet into {@code dst}, waiting while the ring is empty.
     *
     * @return the packet's full length (which may exceed {@code len}: then only {@code len} bytes were
     *     copied and the packet is gone anyway), or {@link #CLOSED}
     */
    public int take(byte[] dst, int off, int len) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && count == 0) {
                notEmpty.await();
            }
            return closed ? CLOSED : dequeue(dst, off, len);
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #take} but gives up after the timeout and returns {@link #TIMED_OUT}. */
    public int poll(byte[] dst, int off, int len, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!closed && count == 0) {
                if (nanos <= 0) {
                    return TIMED_OUT;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return closed ? CLOSED : dequeue(dst, off, len);
        } finally {
            lock.unlock();
        }
    }

    /** The length of the oldest packet, or -1 if the ring is empty; does not remove it. */
    public int peekLength() {
        lock.lock();
        try {
            return count == 0 ? -1 : lengths[head];
        } finally {
            lock.unlock();
        }
    }

    /** The number of packets waiting. */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; later takes return {@link #CLOSED} and later offers fail. Idempotent. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(byte[] src, int off, int len) {
        int tail = (head + count) % slots.length;
        byte[] slot = slots[tail];
        if (slot == null || slot.length < len) {
            slot = new byte[Math.max(len, initialSlotSize)];
            slots[tail] = slot;
        }
        System.arraycopy(src, off, slot, 0, len);
        lengths[tail] = len;
        count++;
        notEmpty.signal();
    }

    private int dequeue(byte[] dst, int off, int len) {
        int length = lengths[head];
        System.arraycopy(slots[head], 0, dst, off, Math.min(length, len));
        head = (head + 1) % slots.length;
        count--;
        notFull.signal();
        return length;
    }
}
