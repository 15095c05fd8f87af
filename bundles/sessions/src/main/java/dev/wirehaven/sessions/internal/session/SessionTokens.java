package dev.wirehaven.sessions.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session ids and bearer tokens. A token is 32 random bytes (256 bits: guessing is hopeless, so a
 * fast hash is enough, unlike a password), base64url without padding so that it travels in a header
 * unchanged. Only its SHA-256 is stored; a presented token is hashed and compared in constant time,
 * so the comparison says nothing through its timing about how much of a guess was right.
 */
final class SessionTokens {

    private static final int TOKEN_BYTES = 32;
    private static final int ID_BYTES = 16;
    /** A longer "token" cannot be one of ours; refusing it early saves hashing megabytes. */
    private static final int MAX_TOKEN_CHARS = 128;

    private final SecureRandom random;

    SessionTokens(SecureRandom random) {
        this.random = random;
    }

    String newToken() {
        return randomText(TOKEN_BYTES);
    }

    /** A session id: unguessable too, because it appears in URLs and logs before a token exists. */
    String newSessionId() {
        return randomText(ID_BYTES);
    }

    /** The stored form of a token: SHA-256, hex. */
    static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** True when {@code presented} is the token whose hash is {@code storedHash}; false for null of either. */
    static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null || presented.length() > MAX_TOKEN_CHARS) {
            return false;
        }
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), stored);
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
