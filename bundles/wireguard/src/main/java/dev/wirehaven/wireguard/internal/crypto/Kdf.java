package dev.wirehaven.wireguard.internal.crypto;

import java.util.Arrays;

/**
 * KDF_n of whitepaper §5.4: HKDF with HMAC-BLAKE2s, where τ0 = HMAC(key, input),
 * τ1 = HMAC(τ0, 0x1) and τi = HMAC(τ0, τ(i−1) || i); KDF_n returns (τ1, ..., τn).
 */
public final class Kdf {

    private static final byte[] NONE = new byte[0];

    private Kdf() {}

    /** KDF1(key, input) = τ1. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        return derive(key, input, 1)[0];
    }

    /** KDF2(key, input) = (τ1, τ2). */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        return derive(key, input, 2);
    }

    /** KDF3(key, input) = (τ1, τ2, τ3). */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        return derive(key, input, 3);
    }

    private static byte[][] derive(byte[] key, byte[] input, int n) {
        byte[] t0 = Blake2s.hmac(key, input == null ? NONE : input);
        byte[][] out = new byte[n][];
        byte[] prev = NONE;
        for (int i = 0; i < n; i++) {
            prev = Blake2s.hmac(t0, prev, new byte[] {(byte) (i + 1)});
            out[i] = prev;
        }
        Arrays.fill(t0, (byte) 0);
        return out;
    }
}
