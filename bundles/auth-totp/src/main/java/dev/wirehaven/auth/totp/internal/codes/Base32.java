package dev.wirehaven.auth.totp.internal.codes;

import java.io.ByteArrayOutputStream;

/**
 * Base32 of RFC 4648 section 6 (alphabet {@code A-Z2-7}), the encoding of a secret in an
 * {@code otpauth://} URI and the text a person types into an authenticator app by hand. Encodes
 * without the {@code =} padding, as the URI format wants; decodes with or without it, in either case,
 * and ignores the spaces and hyphens that people group the text with.
 */
public final class Base32 {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int BITS_PER_CHAR = 5;

    private Base32() {}

    /** The text of {@code bytes}, upper case, without padding. */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + BITS_PER_CHAR - 1) / BITS_PER_CHAR);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= BITS_PER_CHAR) {
                out.append(ALPHABET.charAt((buffer >>> (bits - BITS_PER_CHAR)) & 0x1f));
                bits -= BITS_PER_CHAR;
            }
        }
        if (bits > 0) {
            // the last group is padded with zero bits on the right (RFC 4648 section 6)
            out.append(ALPHABET.charAt((buffer << (BITS_PER_CHAR - bits)) & 0x1f));
        }
        return out.toString();
    }

    /**
     * The bytes of {@code text}.
     *
     * @throws IllegalArgumentException when a character is outside the alphabet, padding is followed by
     *         data, or the length cannot be that of whole bytes
     */
    public static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * BITS_PER_CHAR / 8);
        int buffer = 0;
        int bits = 0;
        int chars = 0;
        boolean padding = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c == '=') {
                padding = true;
                continue;
            }
            int value = ALPHABET.indexOf(Character.toUpperCase(c));
            if (value < 0 || padding) {
                throw new IllegalArgumentException(
                        padding ? "Base32 text continues after its padding" : "not a Base32 character at " + i);
            }
            buffer = (buffer << BITS_PER_CHAR) | value;
            bits += BITS_PER_CHAR;
            chars++;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        // 1, 3 and 6 characters of a final group cannot come from whole bytes
        int rest = chars % 8;
        if (rest == 1 || rest == 3 || rest == 6) {
            throw new IllegalArgumentException("Base32 text of " + chars + " characters is not whole bytes");
        }
        return out.toByteArray();
    }
}
