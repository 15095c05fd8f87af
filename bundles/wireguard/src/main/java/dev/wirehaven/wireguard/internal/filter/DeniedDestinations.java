package dev.wirehaven.wireguard.internal.filter;

/**
 * An estimate of how many distinct destinations (protocol, destination address, destination port; port
 * 0 for protocols without ports) one peer's filter denied: linear counting (Whang, Vander-Zanden and
 * Taylor, 1990) over a bitmap of {@value #BITS} bits. Each destination sets the bit that its seeded
 * 64-bit hash picks; with {@code z} bits still zero out of {@code m}, the estimate is
 * {@code n = -m ln(z/m)}.
 *
 * <p>Accuracy: the standard error is {@code sqrt(m (e^t - t - 1)) / n} with {@code t = n/m}: about 1%
 * at 1,000 destinations, 4% at 20,000, 8% at 30,000. Once every bit is set the estimate saturates
 * at {@link #SATURATED} ({@code m ln m}, rounded: the value for one zero bit) and stays there; read it as
 * "about 34,000 or more". A scan of a /16 on one port already reaches it.
 *
 * <p>Cost: nothing until the first denial, then 512 bytes for the bitmap (allocated once) and per
 * denied packet three multiply-xorshift rounds and one {@code long} OR; no allocation. The hash is
 * seeded per peer, so that nobody can choose destinations that collide on purpose. Not thread-safe:
 * the {@link FlowFilter} calls it under its table's monitor.
 */
final class DeniedDestinations {

    static final int BITS = 4096;

    /** {@code m ln m} for m = {@value #BITS}: the estimate with one zero bit left, and the most reported. */
    static final long SATURATED = Math.round(BITS * Math.log(BITS));

    private final long seed;
    private long[] bits; // null until the first denial: a peer whose filter denies nothing pays nothing

    DeniedDestinations(long seed) {
        this.seed = seed;
    }

    /** Notes one denied packet to {@code dstHi:dstLo} (as {@link PacketFlow} holds addresses). */
    void add(boolean v6, long dstHi, long dstLo, int protocol, int port) {
        long[] b = bits;
        if (b == null) {
            b = new long[BITS / 64];
            bits = b;
        }
        long h = mix(seed ^ dstHi);
        h = mix(h ^ dstLo);
        h = mix(h ^ ((v6 ? 1L << 40 : 0) | ((long) protocol << 16) | port));
        int bit = (int) (h >>> 52); // the top 12 bits: 0..4095
        b[bit >>> 6] |= 1L << bit;
    }

    /** The estimate, 0 when nothing was denied, at most {@link #SATURATED}. */
    long estimate() {
        long[] b = bits;
        if (b == null) {
            return 0;
        }
        int set = 0;
        for (long word : b) {
            set += Long.bitCount(word);
        }
        int zero = BITS - set;
        if (zero == 0) {
            return SATURATED;
        }
        return Math.round(-BITS * Math.log((double) zero / BITS));
    }

    /** Forgets every destination (a new filter); keeps the bitmap, so no allocation again. */
    void clear() {
        long[] b = bits;
        if (b != null) {
            java.util.Arrays.fill(b, 0);
        }
    }

    /** MurmurHash3's 64-bit finalizer: every input bit changes each output bit with probability ~1/2. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
