package dev.wirehaven.wireguard.internal.device;

/**
 * Recycles packet elements so that the steady-state packet path allocates no buffers. An empty pool
 * allocates a new element rather than blocking (bursts, or many peers holding staged packets, must not
 * stall the readers); a full pool lets a returned element go to the garbage collector.
 */
final class ElementPool {

    private final MpmcRing<Element> free;
    private final int bufferSize;

    ElementPool(int capacity, int bufferSize) {
        this.free = new MpmcRing<>(capacity);
        this.bufferSize = bufferSize;
    }

    Element acquire() {
        Element e = free.poll();
        if (e == null) {
            e = new Element(bufferSize);
        }
        e.state = Element.PENDING;
        return e;
    }

    void release(Element e) {
        e.reset();
        free.offer(e);
    }

    int bufferSize() {
        return bufferSize;
    }
}
