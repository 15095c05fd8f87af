package dev.wirehaven.wireguard.internal.filter;

/**
 * The open flows of one peer. A flow is keyed by protocol, initiator address, responder address,
 * initiator port and responder port in the direction it was opened; a packet the other way finds the
 * same entry ({@link PacketFlow#reverse}). The hash is symmetric in the two ends, so one probe sequence
 * finds either direction.
 *
 * <p>Open addressing with linear probing over primitive arrays (56 bytes per slot): lookups and
 * inserts allocate nothing and box nothing. Removal shifts the following entries back (no
 * tombstones). The table starts at {@link #INITIAL_SLOTS} slots and doubles up to the slots that
 * {@code maxFlows} needs at a load of at most 3/4; it never shrinks. Expired entries are removed when a
 * lookup meets them, when the table is full, and by {@link #removeExpired}.
 *
 * <p>When {@code maxFlows} flows are open, an insert first removes the expired ones; if none had
 * expired it evicts the flow that has waited longest for an answer (conntrack's "early drop": an
 * unanswered flow is a probe or a dead peer, an answered one is in use); if every flow was answered,
 * the insert fails. That scan is linear in the slots, and only a peer at its bound pays it.
 *
 * <p>Not thread-safe: {@link FlowFilter} holds the table's monitor around every use.
 */
final class FlowTable {

    static final int INITIAL_SLOTS = 16;

    // meta: protocol, key flags, state flags; 0 marks an empty slot
    private static final int PROTOCOL_MASK = 0xff;
    private static final int V6 = 1 << 8;
    private static final int FRAGMENTS = 1 << 9;
    private static final int KEY_MASK = PROTOCOL_MASK | V6 | FRAGMENTS;
    private static final int OPENED_BY_PEER = 1 << 10;
    private static final int ANSWERED = 1 << 11;
    private static final int USED = 1 << 12;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long K1 = 0xC2B2AE3D27D4EB4FL;
    private static final long K2 = 0x165667B19E3779F9L;

    private final int maxFlows;
    private final int maxSlots;
    private final long seed;
    private int size;
    private int[] meta;
    /** Four per slot: initiator hi, lo, responder hi, lo. */
    private long[] addresses;
    /** Initiator port << 16 | responder port, or a fragmented datagram's identification. */
    private int[] ports;

    private int[] generations;
    private long[] lastSeen;
    private int[] hashes;

    FlowTable(int maxFlows, long seed) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1, was " + maxFlows);
        }
        this.maxFlows = maxFlows;
        this.seed = seed;
        int slots = INITIAL_SLOTS;
        while ((long) slots * 3 / 4 < maxFlows) {
            slots <<= 1;
        }
        this.maxSlots = slots;
        allocate(INITIAL_SLOTS);
    }

    int size() {
        return size;
    }

    /** The slots allocated now. */
    int slots() {
        return meta.length;
    }

    /**
     * The slot of the flow of {@code f}'s packet, in either direction (only forward for
     * {@code fragments}, the later fragments of a datagram), setting {@link PacketFlow#reverse}; or -1.
     * An expired entry is removed and not found.
     */
    int find(PacketFlow f, boolean fragments, long now) {
        int key = key(f, fragments);
        int forward = fragments ? f.fragmentId : f.srcPort << 16 | f.dstPort;
        int backward = f.dstPort << 16 | f.srcPort;
        int h = hash(f, key, forward);
        int mask = meta.length - 1;
        for (int i = h & mask; meta[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] != h || (meta[i] & KEY_MASK) != key) {
                continue;
            }
            int a = i * 4;
            boolean isForward = ports[i] == forward
                    && addresses[a] == f.srcHi
                    && addresses[a + 1] == f.srcLo
                    && addresses[a + 2] == f.dstHi
                    && addresses[a + 3] == f.dstLo;
            boolean isBackward = !isForward
                    && !fragments
                    && ports[i] == backward
                    && addresses[a] == f.dstHi
                    && addresses[a + 1] == f.dstLo
                    && addresses[a + 2] == f.srcHi
                    && addresses[a + 3] == f.srcLo;
            if (isForward || isBackward) {
                if (expired(i, now)) {
                    remove(i);
                    return -1;
                }
                f.reverse = isBackward;
                return i;
            }
        }
        return -1;
    }

    /**
     * Opens the flow of {@code f}'s packet, which {@link #find} did not find, with that packet's
     * source as the initiator; returns its slot, or -1 when the table is full of answered flows.
     */
    int insert(PacketFlow f, boolean fragments, boolean openedByPeer, int generation, long now) {
        if (size >= maxFlows && !makeRoom(now)) {
            return -1;
        }
        if ((size + 1) * 4L > meta.length * 3L && meta.length < maxSlots) {
            resize(meta.length * 2);
        }
        int key = key(f, fragments);
        int forward = fragments ? f.fragmentId : f.srcPort << 16 | f.dstPort;
        int h = hash(f, key, forward);
        int mask = meta.length - 1;
        int i = h & mask;
        while (meta[i] != 0) {
            i = (i + 1) & mask;
        }
        meta[i] = key | USED | (openedByPeer ? OPENED_BY_PEER : 0);
        int a = i * 4;
        addresses[a] = f.srcHi;
        addresses[a + 1] = f.srcLo;
        addresses[a + 2] = f.dstHi;
        addresses[a + 3] = f.dstLo;
        ports[i] = forward;
        generations[i] = generation;
        lastSeen[i] = now;
        hashes[i] = h;
        size++;
        return i;
    }

    /** A packet of the flow in {@code slot} crossed now; one from the responder marks it answered. */
    void touch(int slot, boolean reverse, long now) {
        lastSeen[slot] = now;
        if (reverse) {
            meta[slot] |= ANSWERED;
        }
    }

    boolean openedByPeer(int slot) {
        return (meta[slot] & OPENED_BY_PEER) != 0;
    }

    int generation(int slot) {
        return generations[slot];
    }

    void generation(int slot, int generation) {
        generations[slot] = generation;
    }

    /** Removes every expired flow; returns how many. */
    int removeExpired(long now) {
        int removed = 0;
        int i = 0;
        while (i < meta.length) {
            if (meta[i] != 0 && expired(i, now)) {
                remove(i); // shifts a later entry into i, which is looked at next
                removed++;
            } else {
                i++;
            }
        }
        return removed;
    }

    /** Removes the flow in {@code slot}, moving back the entries that probed past it. */
    void remove(int slot) {
        int mask = meta.length - 1;
        int hole = slot;
        for (int j = (slot + 1) & mask; meta[j] != 0; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                move(j, hole);
                hole = j;
            }
        }
        meta[hole] = 0;
        size--;
    }

    private boolean makeRoom(long now) {
        if (removeExpired(now) > 0) {
            return true;
        }
        int victim = -1;
        for (int i = 0; i < meta.length; i++) {
            if (meta[i] != 0 && (meta[i] & ANSWERED) == 0 && (victim < 0 || lastSeen[i] - lastSeen[victim] < 0)) {
                victim = i;
            }
        }
        if (victim < 0) {
            return false;
        }
        remove(victim);
        return true;
    }

    private boolean expired(int i, long now) {
        int m = meta[i];
        long idle = FlowTimeouts.idleNanos(m & PROTOCOL_MASK, (m & ANSWERED) != 0, (m & FRAGMENTS) != 0);
        return now - lastSeen[i] >= idle;
    }

    private static int key(PacketFlow f, boolean fragments) {
        return (f.protocol & PROTOCOL_MASK) | (f.v6 ? V6 : 0) | (fragments ? FRAGMENTS : 0);
    }

    /** Symmetric in the two ends (a sum of their hashes), so that both directions probe alike. */
    private int hash(PacketFlow f, int key, int ports) {
        long ends = end(f.srcHi, f.srcLo, ports >>> 16) + end(f.dstHi, f.dstLo, ports & 0xffff);
        long h = mix(ends ^ (key * GOLDEN));
        return (int) (h ^ (h >>> 32));
    }

    private long end(long hi, long lo, int port) {
        return mix(hi * K1 + lo * K2 + port * GOLDEN + seed);
    }

    /** MurmurHash3's fmix64. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        return x ^ (x >>> 33);
    }

    private void move(int from, int to) {
        meta[to] = meta[from];
        System.arraycopy(addresses, from * 4, addresses, to * 4, 4);
        ports[to] = ports[from];
        generations[to] = generations[from];
        lastSeen[to] = lastSeen[from];
        hashes[to] = hashes[from];
    }

    private void allocate(int slots) {
        meta = new int[slots];
        addresses = new long[slots * 4];
        ports = new int[slots];
        generations = new int[slots];
        lastSeen = new long[slots];
        hashes = new int[slots];
    }

    private void resize(int slots) {
        int[] oldMeta = meta;
        long[] oldAddresses = addresses;
        int[] oldPorts = ports;
        int[] oldGenerations = generations;
        long[] oldLastSeen = lastSeen;
        int[] oldHashes = hashes;
        allocate(slots);
        int mask = slots - 1;
        for (int j = 0; j < oldMeta.length; j++) {
            if (oldMeta[j] == 0) {
                continue;
            }
            int i = oldHashes[j] & mask;
            while (meta[i] != 0) {
                i = (i + 1) & mask;
            }
            meta[i] = oldMeta[j];
            System.arraycopy(oldAddresses, j * 4, addresses, i * 4, 4);
            ports[i] = oldPorts[j];
            generations[i] = oldGenerations[j];
            lastSeen[i] = oldLastSeen[j];
            hashes[i] = oldHashes[j];
        }
    }
}
