package dev.wirehaven.wireguard;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte WireGuard key (private, public or preshared). Immutable: the bytes are copied in and out.
 * {@code equals} is constant-time so that comparing keys leaks nothing through timing.
 *
 * <p>{@link #toString()} never prints the key material; use {@link #toBase64()} or {@link #toHex()}
 * deliberately where a key must be shown (public keys) or stored (private keys, owner-only files).
 */
public final class Key {

    /** Length of every WireGuard key, in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key from exactly 32 bytes (copied). */
    public static Key of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a WireGuard key is " + LENGTH + " bytes");
        }
        return new Key(bytes.clone());
    }

    /** A key from its standard base64 form, as {@code wg genkey} prints it. */
    public static Key fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 WireGuard key", e);
        }
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException(
                    "not a base64 WireGuard key: it decodes to " + decoded.length + " bytes, not 32");
        }
        return new Key(decoded);
    }

    /** A key from its 64-digit hex form, as the userspace API carries it. */
    public static Key fromHex(String text) {
        if (text.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("not a hex WireGuard key: 64 hex digits expected");
        }
        try {
            return new Key(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex WireGuard key", e);
        }
    }

    /** A copy of the key bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** True for the all-zero key, which the userspace API uses to mean "no key". */
    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Deliberately opaque: keys must not reach logs by accident. */
    @Override
    public String toString() {
        return "Key[redacted]";
    }
}
