package dev.wirehaven.wireguard.internal.noise;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;

/**
 * The fixed starting state of Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s as WireGuard instantiates it
 * (whitepaper §5.4.2): C = HASH(CONSTRUCTION) and H = HASH(C || IDENTIFIER), plus little-endian
 * field access for the message formats.
 */
public final class Noise {

    private Noise() {}

    private static final byte[] INITIAL_CHAINING_KEY = Blake2s.hash(Protocol.CONSTRUCTION.getBytes(UTF_8));
    private static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAINING_KEY, Protocol.IDENTIFIER.getBytes(UTF_8));

    /** A copy of Ci = HASH(CONSTRUCTION). */
    public static byte[] initialChainingKey() {
        return INITIAL_CHAINING_KEY.clone();
    }

    /** A copy of Hi = HASH(Ci || IDENTIFIER). */
    public static byte[] initialHash() {
        return INITIAL_HASH.clone();
    }

    /** HASH(label || key): the MAC1 key (label "mac1----") or the cookie key (label "cookie--") of a public key. */
    public static byte[] labelKey(String label, byte[] publicKey) {
        return Blake2s.hash(label.getBytes(UTF_8), publicKey);
    }

    public static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static long getLongLE(byte[] b, int off) {
        return (getIntLE(b, off) & 0xffffffffL) | (long) getIntLE(b, off + 4) << 32;
    }

    public static void putLongLE(byte[] b, int off, long v) {
        putIntLE(b, off, (int) v);
        putIntLE(b, off + 4, (int) (v >>> 32));
    }
}
