package dev.wirehaven.wireguard.internal.crypto;

import java.util.Arrays;

/**
 * MAC(key, ·) of whitepaper §5.4 (keyed BLAKE2s, 16-byte output, RFC 7693 §3.3) with the key set
 * once, for the MACs checked on every handshake-shaped datagram: MAC1 on the UDP readers, and the
 * cookie τ.
 *
 * <p>Written on {@link Blake2sBlock} rather than on BouncyCastle's {@code Blake2sDigest}, which
 * {@link Blake2s#mac} uses, because that digest allocates two word arrays and a buffer per MAC (on
 * every block and on the reset that {@code doFinal} does). Under a flood of forged initiations at
 * 200,000 datagrams a second it was 80 of the 145 MB that the flooded JVM allocated in ten seconds,
 * and the young collection that followed stopped the data path for 86 ms (a JFR recording and the
 * GC log of {@code benchmarks/flood-throughput.sh}). This one allocates nothing after
 * {@link #rekey}, and compresses the key block once per key instead of once per MAC: keyed BLAKE2s
 * begins every message with the zero-padded key as a block of its own, so the chain value after it is
 * the same for every message.
 *
 * <p>Not thread-safe: one instance per thread (or under a lock). The key is kept only as that chain
 * value, from which it cannot be computed back; {@link #clear} erases it.
 */
public final class KeyedMac {

    /** The chain value after the key block; null while unkeyed. */
    private int[] keyed;

    private final int[] h = new int[8];
    private final int[] m = new int[16];
    private final int[] v = new int[16];
    private final byte[] out = new byte[Blake2s.MAC_LEN];

    /** Keys the MAC with {@code key} (1 to 32 bytes), or unkeys it with null. */
    public void rekey(byte[] key) {
        if (key == null) {
            clear();
            return;
        }
        if (key.length == 0 || key.length > 32) {
            throw new IllegalArgumentException("a BLAKE2s key is 1 to 32 bytes, not " + key.length);
        }
        int[] state = initialChainValue(key.length);
        Blake2sBlock.load(key, 0, key.length, m);
        Blake2sBlock.compress(state, m, v, Blake2sBlock.BYTES, false);
        Arrays.fill(m, 0);
        Arrays.fill(v, 0);
        keyed = state;
    }

    /** MAC(key, data[off..off+len)) into {@code dst[dstOff..dstOff+16)}. */
    public void mac(byte[] data, int off, int len, byte[] dst, int dstOff) {
        if (keyed == null) {
            throw new IllegalStateException("the MAC has no key");
        }
        if (len == 0) {
            // the key block is then the last block, which rekey compressed as one that is not
            throw new IllegalArgumentException("no MAC here is of an empty message");
        }
        System.arraycopy(keyed, 0, h, 0, 8);
        long t = Blake2sBlock.BYTES; // the key block
        int at = off;
        int left = len;
        while (left > Blake2sBlock.BYTES) {
            Blake2sBlock.load(data, at, Blake2sBlock.BYTES, m);
            t += Blake2sBlock.BYTES;
            Blake2sBlock.compress(h, m, v, t, false);
            at += Blake2sBlock.BYTES;
            left -= Blake2sBlock.BYTES;
        }
        Blake2sBlock.load(data, at, left, m);
        t += left;
        Blake2sBlock.compress(h, m, v, t, true);
        for (int i = 0; i < Blake2s.MAC_LEN; i++) {
            dst[dstOff + i] = (byte) (h[i >> 2] >> (8 * (i & 3))); // little-endian words
        }
    }

    /** Whether {@code tag[tagOff..tagOff+16)} is MAC(key, data[off..off+len)), compared in constant time. */
    public boolean verify(byte[] data, int off, int len, byte[] tag, int tagOff) {
        mac(data, off, len, out, 0);
        int diff = 0;
        for (int i = 0; i < Blake2s.MAC_LEN; i++) {
            diff |= out[i] ^ tag[tagOff + i];
        }
        return diff == 0;
    }

    /** Forgets the key. */
    public void clear() {
        if (keyed != null) {
            Arrays.fill(keyed, 0);
            keyed = null;
        }
        Arrays.fill(h, 0);
    }

    /** h0 with the parameter block folded in: digest length 16, key length, fanout and depth 1 (RFC 7693 §2.5). */
    private static int[] initialChainValue(int keyLength) {
        int[] state = Blake2sBlock.IV.clone();
        state[0] ^= 0x01010000 ^ (keyLength << 8) ^ Blake2s.MAC_LEN;
        return state;
    }
}
