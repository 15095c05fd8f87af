package dev.wirehaven.wireguard.internal.device;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * The device's map from our random 32-bit session indices (whitepaper §5.4.2) to the peer and, once
 * the handshake completed, the keypair. Every transport packet is looked up here by its receiver
 * index, so reads take no lock and allocate nothing (no boxing, unlike a {@code Map<Integer, ...>}):
 * buckets are immutable chains in an {@link AtomicReferenceArray}, replaced whole under the table's
 * monitor.
 *
 * <p>Every index the table hands out has the device's {@link #tag()} as its low byte, its first byte
 * on the wire: the bind's steering program sends transport messages with any other first index byte to
 * the handshake lane, so that a flood of transport-shaped junk for random indices stays out of the
 * data's receive queue ({@code Bind.steerByReceiverTag}). The 24 random bits left are plenty for a
 * table's worth of sessions, and an index was never a secret: it only names a session, whose every
 * packet is still authenticated.
 */
final class IndexTable {

    /** What an index stands for: a peer's handshake in progress ({@code keypair == null}) or a session. */
    record Entry(Peer peer, Keypair keypair) {}

    private record Node(int index, Entry entry, Node next) {}

    private final RandomGenerator random;
    private final int tag;
    private volatile AtomicReferenceArray<Node> buckets = new AtomicReferenceArray<>(64);
    private int size;

    /** @param tag the low byte of every index, 0-255 */
    IndexTable(RandomGenerator random, int tag) {
        if ((tag & ~0xff) != 0) {
            throw new IllegalArgumentException("an index tag is one byte, not " + tag);
        }
        this.random = random;
        this.tag = tag;
    }

    /** The low byte of every index this table hands out. */
    int tag() {
        return tag;
    }

    Entry lookup(int index) {
        AtomicReferenceArray<Node> b = buckets;
        for (Node n = b.get(slot(index, b.length())); n != null; n = n.next) {
            if (n.index == index) {
                return n.entry;
            }
        }
        return null;
    }

    /** A fresh random non-zero index with the table's tag, bound to {@code peer}'s handshake. */
    synchronized int allocateForHandshake(Peer peer) {
        while (true) {
            int index = (random.nextInt() & ~0xff) | tag;
            if (index != 0 && lookup(index) == null) {
                put(index, new Entry(peer, null));
                return index;
            }
        }
    }

    /** Rebinds a handshake's index to the session derived from it. */
    synchronized void swapForKeypair(int index, Keypair keypair) {
        put(index, new Entry(keypair.peer, keypair));
    }

    synchronized void remove(int index) {
        if (index == 0) {
            return;
        }
        AtomicReferenceArray<Node> b = buckets;
        int s = slot(index, b.length());
        Node head = b.get(s);
        if (find(head, index) == null) {
            return;
        }
        b.set(s, without(head, index));
        size--;
    }

    synchronized int size() {
        return size;
    }

    private void put(int index, Entry entry) {
        AtomicReferenceArray<Node> b = buckets;
        int s = slot(index, b.length());
        Node head = b.get(s);
        boolean existed = find(head, index) != null;
        b.set(s, new Node(index, entry, existed ? without(head, index) : head));
        if (!existed && ++size > b.length() * 3 / 4) {
            grow();
        }
    }

    private void grow() {
        AtomicReferenceArray<Node> old = buckets;
        AtomicReferenceArray<Node> b = new AtomicReferenceArray<>(old.length() * 2);
        for (int i = 0; i < old.length(); i++) {
            for (Node n = old.get(i); n != null; n = n.next) {
                int s = slot(n.index, b.length());
                b.set(s, new Node(n.index, n.entry, b.get(s)));
            }
        }
        buckets = b;
    }

    private static Node find(Node n, int index) {
        for (; n != null; n = n.next) {
            if (n.index == index) {
                return n;
            }
        }
        return null;
    }

    private static Node without(Node n, int index) {
        if (n == null) {
            return null;
        }
        if (n.index == index) {
            return n.next;
        }
        return new Node(n.index, n.entry, without(n.next, index));
    }

    private static int slot(int index, int length) {
        // indices are uniformly random, but mix anyway in case a peer's are not ours to choose
        int h = index * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (length - 1);
    }
}
