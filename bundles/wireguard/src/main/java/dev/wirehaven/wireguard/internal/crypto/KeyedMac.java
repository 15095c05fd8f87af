package dev.wirehaven.wireguard.internal.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * MAC(key, ·) of whitepaper §5.4 (keyed BLAKE2s, 16-byte output) with the key set once and the state
 * reused: {@link Blake2s#mac} builds and keys a new digest per call, which under a flood of handshake
 * messages was a tenth of the handshake worker's samples. BouncyCastle's digest re-applies its key on
 * every reset (which {@code doFinal} does), so one instance serves any number of MACs under the same
 * key without allocating.
 *
 * <p>Not thread-safe: one instance per thread (or under a lock). The key stays in the digest's state
 * until {@link #rekey} or {@link #clear}; the JVM may have copied it elsewhere (GC), which we cannot
 * prevent.
 */
public final class KeyedMac {

    private Blake2sDigest digest;
    private final byte[] out = new byte[Blake2s.MAC_LEN];

    /** Keys the MAC (the digest copies the key); allocates a digest, so call it only when the key changes. */
    public void rekey(byte[] key) {
        if (digest != null) {
            digest.clearKey();
        }
        this.digest = key == null ? null : new Blake2sDigest(key, Blake2s.MAC_LEN, null, null);
    }

    /** MAC(key, data[off..off+len)) into {@code out[outOff..outOff+16)}. */
    public void mac(byte[] data, int off, int len, byte[] dst, int dstOff) {
        digest.update(data, off, len);
        digest.doFinal(dst, dstOff);
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
        rekey(null);
    }
}
