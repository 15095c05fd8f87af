package dev.wirehaven.wireguard.internal.crypto;

/**
 * BLAKE2s's compression function F (RFC 7693 §3.2) on arrays the caller owns, so that a MAC computed
 * with it allocates nothing: {@link KeyedMac} checks MAC1 on every handshake-shaped datagram a flood
 * brings, where BouncyCastle's digest allocates on every block and every reset.
 */
final class Blake2sBlock {

    /** A block: 64 bytes, sixteen 32-bit words. */
    static final int BYTES = 64;

    /** The initialization vector (RFC 7693 §2.6), SHA-256's. */
    static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
    };

    /** The message word schedule σ of the ten rounds (RFC 7693 §2.7). */
    private static final byte[][] SIGMA = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
        {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
        {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
        {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
        {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
        {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
        {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
        {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
        {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    };

    private Blake2sBlock() {}

    /**
     * Reads the block at {@code src[off..off+len)} into {@code m} as little-endian words, the bytes
     * after {@code len} (up to 64) as zeros: the padding of a message's last block.
     */
    static void load(byte[] src, int off, int len, int[] m) {
        for (int w = 0; w < 16; w++) {
            int word = 0;
            for (int b = 0; b < 4; b++) {
                int i = 4 * w + b;
                if (i < len) {
                    word |= (src[off + i] & 0xff) << (8 * b);
                }
            }
            m[w] = word;
        }
    }

    /**
     * F(h, m, t, f): mixes the block {@code m} into the chain value {@code h} in place.
     *
     * @param v sixteen words of scratch (the working vector)
     * @param t the count of message bytes so far, this block's included
     * @param last whether this is the final block (the finalization flag f0)
     */
    static void compress(int[] h, int[] m, int[] v, long t, boolean last) {
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) t;
        v[13] ^= (int) (t >>> 32);
        if (last) {
            v[14] = ~v[14];
        }
        for (byte[] s : SIGMA) {
            mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    /** The mixing function G (RFC 7693 §3.1) with BLAKE2s's rotations R1-R4 = 16, 12, 8, 7. */
    private static void mix(int[] v, int a, int b, int c, int d, int x, int y) {
        v[a] += v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] += v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
