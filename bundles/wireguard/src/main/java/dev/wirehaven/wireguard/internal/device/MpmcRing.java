package dev.wirehaven.wireguard.internal.device;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer multi-consumer queue (D. Vyukov's array queue with a sequence
 * number per slot). It allocates nothing per operation, unlike {@code ConcurrentLinkedQueue}, and
 * takes no lock, unlike {@code ArrayBlockingQueue}: the crypto work queue and the buffer pool are
 * shared by every peer, so they must not serialise them.
 */
final class MpmcRing<T> {

    private final AtomicReferenceArray<T> items;
    private final AtomicLongArray sequence;
    private final int mask;
    private final AtomicLong enqueuePos = new AtomicLong();
    private final AtomicLong dequeuePos = new AtomicLong();

    /** @param capacity rounded up to a power of two, at least 2 */
    MpmcRing(int capacity) {
        int size = 2;
        while (size < capacity) {
            size <<= 1;
        }
        this.items = new AtomicReferenceArray<>(size);
        this.sequence = new AtomicLongArray(size);
        this.mask = size - 1;
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
    }

    int capacity() {
        return mask + 1;
    }

    /** Adds {@code item}; false if the ring is full. */
    boolean offer(T item) {
        long pos = enqueuePos.get();
        while (true) {
            int slot = (int) pos & mask;
            long diff = sequence.get(slot) - pos;
            if (diff == 0) {
                if (enqueuePos.compareAndSet(pos, pos + 1)) {
                    items.set(slot, item);
                    sequence.set(slot, pos + 1);
                    return true;
                }
                pos = enqueuePos.get();
            } else if (diff < 0) {
                return false;
            } else {
                pos = enqueuePos.get();
            }
        }
    }

    /** Takes the oldest item, or {@code null} if the ring is empty. */
    T poll() {
        long pos = dequeuePos.get();
        while (true) {
            int slot = (int) pos & mask;
            long diff = sequence.get(slot) - (pos + 1);
            if (diff == 0) {
                if (dequeuePos.compareAndSet(pos, pos + 1)) {
                    T item = items.get(slot);
                    items.set(slot, null);
                    sequence.set(slot, pos + mask + 1);
                    return item;
                }
                pos = dequeuePos.get();
            } else if (diff < 0) {
                return null;
            } else {
                pos = dequeuePos.get();
            }
        }
    }

    /** Whether the ring looks empty (a snapshot; may be stale at once). */
    boolean isEmpty() {
        return enqueuePos.get() == dequeuePos.get();
    }
}
