package dev.wirehaven.wireguard;

import dev.wirehaven.wireguard.internal.crypto.X25519;
import java.security.SecureRandom;

/** Key generation, as {@code wg genkey}, {@code wg pubkey} and {@code wg genpsk} do it. */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    /** A new Curve25519 private key (clamped, like {@code wg genkey}). */
    public static Key generatePrivate() {
        byte[] k = X25519.generatePrivate(RANDOM);
        try {
            return Key.of(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** The public key of a private key (like {@code wg pubkey}). */
    public static Key publicFrom(Key privateKey) {
        byte[] k = privateKey.toBytes();
        try {
            return Key.of(X25519.publicFrom(k));
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    /** A new random preshared key (like {@code wg genpsk}). */
    public static Key generatePreshared() {
        byte[] k = new byte[Key.LENGTH];
        RANDOM.nextBytes(k);
        try {
            return Key.of(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }
}
