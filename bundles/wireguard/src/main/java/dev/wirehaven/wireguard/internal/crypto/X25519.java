package dev.wirehaven.wireguard.internal.crypto;

import java.util.random.RandomGenerator;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) as whitepaper §5.4 uses it: DH-GENERATE makes a clamped
 * private key, and DH refuses an all-zero shared secret (a low-order public key), as the kernel and
 * wireguard-go do, so that a malicious peer cannot force a known key into the chaining key.
 */
public final class X25519 {

    /** Key length in bytes. */
    public static final int KEY_LEN = 32;

    private X25519() {}

    /** DH-GENERATE: 32 random bytes, clamped as RFC 7748 §5 describes (so that {@code wg} shows the same key). */
    public static byte[] generatePrivate(RandomGenerator random) {
        byte[] k = new byte[KEY_LEN];
        random.nextBytes(k);
        clamp(k);
        return k;
    }

    /** Clears bits 0-2 and 255 and sets bit 254, in place. */
    public static void clamp(byte[] k) {
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    /** DH-PUBKEY: the public key of a private key (clamped internally, as X25519 always does). */
    public static byte[] publicFrom(byte[] privateKey) {
        byte[] pub = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * DH(private, public).
     *
     * @return the shared secret, or {@code null} if it is all zeros
     */
    public static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        return sharedSecret(privateKey, publicKey, 0);
    }

    /** DH with the public key read from {@code buf[off..off+32)}; {@code null} for an all-zero result. */
    public static byte[] sharedSecret(byte[] privateKey, byte[] buf, int off) {
        byte[] out = new byte[KEY_LEN];
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, buf, off, out, 0)) {
            return null;
        }
        return out;
    }
}
