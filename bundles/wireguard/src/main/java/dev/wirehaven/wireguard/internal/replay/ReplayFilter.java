package dev.wirehaven.wireguard.internal.replay;

/**
 * The sliding window over received transport counters (whitepaper §5.4.6), kept as a ring of 64-bit
 * blocks in the manner of RFC 6479: moving the window forward clears whole blocks instead of shifting
 * bits, so each check costs O(1) however far the counter jumps.
 *
 * <p>The ring holds {@value #RING_BLOCKS} blocks (8192 bits), allocated at the first counter. The block that the newest counter falls
 * in is partly in the future, so only {@value #WINDOW_SIZE} = 8192 − 64 counters behind the newest are
 * guaranteed to be remembered; anything older is refused.
 *
 * <p>Counters are unsigned 64-bit values carried in a {@code long}.
 *
 * <p>It also keeps count of the counters below the highest accepted one that never arrived (or came
 * too late to be accepted): a sender numbers its packets without gaps, so these are the packets lost
 * on the way, the server's own measure of packet loss from a peer.
 *
 * <p>Not thread-safe: one filter belongs to one receiving keypair, and its owner calls {@link #accept}
 * from one thread at a time, with a happens-before edge between successive callers (the peer's serial
 * in-order receive stage provides both), and only after the packet authenticated: an unauthenticated
 * counter must never move the window.
 */
public final class ReplayFilter {

    /**
     * REJECT_AFTER_MESSAGES = 2^64 − 2^13 − 1 (whitepaper §6.1), as an unsigned value: no counter at or
     * past it is ever accepted, so the nonce of a keypair cannot wrap.
     */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    private static final int BLOCK_BITS_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BITS_LOG;
    static final int RING_BLOCKS = 128;
    private static final int BLOCK_MASK = RING_BLOCKS - 1;
    private static final int BIT_MASK = BLOCK_BITS - 1;

    /** How many counters behind the newest one are still remembered. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * BLOCK_BITS;

    private final long limit;
    /**
     * Allocated at the first counter: a server holds a keypair for every peer that handshook, most of
     * them idle, and a keypair that never receives (the next one, a responder's before the first packet)
     * should not cost the ring's 1 KB.
     */
    private long[] ring;

    private long newest;
    /** One past the highest counter accepted; 0 before the first. */
    private long expected;
    /** Counters below {@link #expected} not accepted. */
    private long missing;

    /** A filter that refuses counters at or past {@link #REJECT_AFTER_MESSAGES}. */
    public ReplayFilter() {
        this(REJECT_AFTER_MESSAGES);
    }

    /** A filter that refuses counters that are, unsigned, at or past {@code limit}. */
    public ReplayFilter(long limit) {
        this.limit = limit;
    }

    /**
     * Records {@code counter} as received and tells whether the packet may be delivered: false for a
     * counter seen before, one too far behind the newest, or one at or past the limit.
     */
    public boolean accept(long counter) {
        if (Long.compareUnsigned(counter, limit) >= 0) {
            return false;
        }
        long[] ring = this.ring;
        if (ring == null) {
            ring = new long[RING_BLOCKS];
            this.ring = ring;
        }
        long block = counter >>> BLOCK_BITS_LOG;
        if (Long.compareUnsigned(counter, newest) > 0) {
            long current = newest >>> BLOCK_BITS_LOG;
            // a jump past the whole ring only needs every block cleared once
            long clear = Math.min(block - current, RING_BLOCKS);
            for (long i = 1; i <= clear; i++) {
                ring[(int) ((current + i) & BLOCK_MASK)] = 0;
            }
            newest = counter;
        } else if (Long.compareUnsigned(newest - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int slot = (int) (block & BLOCK_MASK);
        long bit = 1L << (counter & BIT_MASK);
        long old = ring[slot];
        ring[slot] = old | bit;
        boolean fresh = (old & bit) == 0;
        if (fresh) {
            countGap(counter);
        }
        return fresh;
    }

    /** A counter past the highest leaves a gap of missing ones; an older one fills one of them. */
    private void countGap(long counter) {
        if (Long.compareUnsigned(counter, expected) >= 0) {
            missing += counter - expected;
            expected = counter + 1;
        } else {
            missing--;
        }
    }

    /**
     * How many counters below the highest accepted one were never accepted: packets lost on the way,
     * or so late that the window had moved past them. It goes down when a late packet fills a gap.
     */
    public long missing() {
        return missing;
    }

    /** Forgets every counter, as for a fresh keypair. */
    public void reset() {
        if (ring != null) {
            java.util.Arrays.fill(ring, 0);
        }
        newest = 0;
        expected = 0;
        missing = 0;
    }
}
