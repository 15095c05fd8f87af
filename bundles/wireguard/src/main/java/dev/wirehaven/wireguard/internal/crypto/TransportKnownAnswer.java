package dev.wirehaven.wireguard.internal.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The known answers that a native transport cipher must reproduce before this JVM uses it: sealing
 * at the offset of a transport message (after the 16-byte header), opening again, and refusing a
 * flipped bit without touching the buffer.
 *
 * <p>No published ChaCha20-Poly1305 vector lacks additional data (RFC 8439 §2.8.2 has 12 bytes of
 * it), so these were computed with the JDK's Cipher and checked against BouncyCastle
 * ({@code TransportKnownAnswerTest} proves both reproduce them). Key 80..9f (RFC 8439's); 0 bytes at
 * counter 0 (the tag alone, as in a keepalive); RFC 8439's 114-byte "sunscreen" text at counter
 * 0x0102030405060708; 1420 bytes (i*7+3) at counter 2^64-1, checked by SHA-256 because the SIMD
 * paths of the native libraries only run on longer inputs.
 */
final class TransportKnownAnswer {

    private static final HexFormat HEX = HexFormat.of();
    private static final int HEADER = 16;
    private static final int TAG = 16;

    static final byte[] KEY = range(0x80, 32);
    static final String EMPTY_SEALED = "3ae5d3f2a376d317eaea5aef0215ba54";
    static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                    + "for the future, sunscreen would be it.")
            .getBytes(US_ASCII);
    static final long SUNSCREEN_COUNTER = 0x0102030405060708L;
    static final String SUNSCREEN_SEALED = "b8d08ad235a97bbc4dd551cc6b1911b3961e31851245f58e7f581dbe0627e811"
            + "f7465bd39dd94d5546bf48ac1a2dd43cbda6f795d215ec93abb888192adfa41a"
            + "10ee4bb956f2bbbe7294b33f513dbeeba962d9c2f8cc18c88a9171bebc9ffb11"
            + "6a4383f49408e055ad9ca5fa75dccb65b94fd5d23d697079b0de81ed4b7817a9"
            + "2427";
    static final int LONG_LENGTH = 1420;
    static final String LONG_SEALED_SHA256 = "f74eef91734382fc46a1540264d13b7f4d91d4349c978210e39f867402d8a758";

    private TransportKnownAnswer() {}

    static byte[] longPlaintext() {
        byte[] p = new byte[LONG_LENGTH];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    /** @return null if {@code cipher} gives every known answer, else what went wrong */
    static String check(TransportCipher cipher) {
        try {
            TransportKey key = new TransportKey(KEY);
            String failure = sealAndOpen(cipher, key, 0, new byte[0], EMPTY_SEALED, false);
            if (failure == null) {
                failure = sealAndOpen(cipher, key, SUNSCREEN_COUNTER, SUNSCREEN, SUNSCREEN_SEALED, false);
            }
            if (failure == null) {
                failure = sealAndOpen(cipher, key, -1L, longPlaintext(), LONG_SEALED_SHA256, true);
            }
            key.destroy();
            return failure;
        } catch (RuntimeException | LinkageError e) {
            return "known-answer test threw " + e;
        }
    }

    private static String sealAndOpen(
            TransportCipher c, TransportKey key, long counter, byte[] plain, String expected, boolean hashed) {
        int len = plain.length;
        String what = len + " bytes at counter " + Long.toUnsignedString(counter);
        // guard bytes around the packet: nothing outside [HEADER, HEADER+len+TAG) may change
        byte[] buf = new byte[HEADER + len + TAG + 8];
        Arrays.fill(buf, (byte) 0x5a);
        System.arraycopy(plain, 0, buf, HEADER, len);
        if (c.seal(key, counter, buf, HEADER, len) != len + TAG) {
            return "seal of " + what + " returned the wrong length";
        }
        byte[] sealed = Arrays.copyOfRange(buf, HEADER, HEADER + len + TAG);
        String got = hashed ? HEX.formatHex(sha256(sealed)) : HEX.formatHex(sealed);
        if (!got.equals(expected) || !guardsIntact(buf)) {
            return "seal of " + what + " gave wrong bytes";
        }
        for (int flip : new int[] {HEADER, HEADER + len + TAG - 1}) {
            byte[] forged = buf.clone();
            forged[flip] ^= 1;
            byte[] before = forged.clone();
            if (c.open(key, counter, forged, HEADER, len + TAG) != -1) {
                return "open accepted " + what + " with a flipped bit";
            }
            if (!Arrays.equals(before, forged)) {
                return "open changed the buffer of a refused packet (" + what + ")";
            }
        }
        if (c.open(key, counter, buf, HEADER, len + TAG) != len
                || !Arrays.equals(plain, 0, len, buf, HEADER, HEADER + len)
                || !guardsIntact(buf)) {
            return "open of " + what + " did not give the plaintext back";
        }
        return null;
    }

    /** The header before and the 8 bytes after the sealed packet still hold the guard value. */
    private static boolean guardsIntact(byte[] buf) {
        for (int i = 0; i < HEADER; i++) {
            if (buf[i] != 0x5a) {
                return false;
            }
        }
        for (int i = buf.length - 8; i < buf.length; i++) {
            if (buf[i] != 0x5a) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] range(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
