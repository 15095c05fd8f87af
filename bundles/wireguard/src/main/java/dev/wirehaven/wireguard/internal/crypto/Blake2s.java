package dev.wirehaven.wireguard.internal.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * The three BLAKE2s primitives of whitepaper §5.4: HASH (BLAKE2s-256), MAC (keyed BLAKE2s with a
 * 128-bit output, i.e. digest length 16 in the parameter block, not a truncated 256-bit hash) and
 * HMAC (RFC 2104 over BLAKE2s-256, block size 64), which the KDF is built from.
 *
 * <p>Only the handshake path uses these, so they favour clarity over avoiding allocation.
 */
public final class Blake2s {

    /** HASH output length. */
    public static final int HASH_LEN = 32;
    /** MAC output length. */
    public static final int MAC_LEN = 16;

    private static final int BLOCK_LEN = 64;

    private Blake2s() {}

    /** HASH(part1 || part2 || ...). */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /** HASH(a || b[off..off+len)), the Noise MixHash step with a slice of a message. */
    public static byte[] hash(byte[] a, byte[] b, int off, int len) {
        Blake2sDigest d = new Blake2sDigest(256);
        d.update(a, 0, a.length);
        d.update(b, off, len);
        byte[] out = new byte[HASH_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[off..off+len)) into {@code out[outOff..outOff+16)}; key is 1..32 bytes. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LEN, null, null);
        d.update(data, off, len);
        d.doFinal(out, outOff);
        d.clearKey();
    }

    /** MAC(key, data[off..off+len)) as a new 16-byte array. */
    public static byte[] mac(byte[] key, byte[] data, int off, int len) {
        byte[] out = new byte[MAC_LEN];
        mac(key, data, off, len, out, 0);
        return out;
    }

    /** HMAC(key, part1 || part2 || ...) with BLAKE2s-256; keys are at most 64 bytes here (always 32). */
    public static byte[] hmac(byte[] key, byte[]... parts) {
        if (key.length > BLOCK_LEN) {
            key = hash(key);
        }
        byte[] pad = new byte[BLOCK_LEN];
        for (int i = 0; i < BLOCK_LEN; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x36);
        }
        Blake2sDigest inner = new Blake2sDigest(256);
        inner.update(pad, 0, BLOCK_LEN);
        for (byte[] p : parts) {
            inner.update(p, 0, p.length);
        }
        byte[] innerHash = new byte[HASH_LEN];
        inner.doFinal(innerHash, 0);
        for (int i = 0; i < BLOCK_LEN; i++) {
            pad[i] ^= 0x36 ^ 0x5c;
        }
        Blake2sDigest outer = new Blake2sDigest(256);
        outer.update(pad, 0, BLOCK_LEN);
        outer.update(innerHash, 0, HASH_LEN);
        byte[] out = new byte[HASH_LEN];
        outer.doFinal(out, 0);
        Arrays.fill(pad, (byte) 0);
        Arrays.fill(innerHash, (byte) 0);
        return out;
    }
}
