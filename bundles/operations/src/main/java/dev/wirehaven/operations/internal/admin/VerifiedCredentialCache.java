package dev.wirehaven.operations.internal.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers the last admin login that passed the slow hash, so that the same login is not hashed
 * again on every request: HTTP Basic sends the credential with each request, and the web console
 * loads a dozen resources per page, which at several hundred milliseconds per PBKDF2 check would
 * make it unusable.
 *
 * <p>It keeps an HMAC-SHA-256 of user and password under a random key made at start-up, never the
 * password. Someone who can read this process's memory can also read the key, so they could test
 * guesses at HMAC speed; but such a reader sees the passwords themselves in request buffers anyway.
 * Only logins that passed are remembered, so a guess still costs a full slow hash.
 */
final class VerifiedCredentialCache {

    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;
    private volatile byte[] remembered;

    VerifiedCredentialCache(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, MAC);
        Arrays.fill(k, (byte) 0);
    }

    /** True when this user and password are the ones last {@linkplain #remember remembered}; constant time. */
    boolean matches(String user, char[] password) {
        byte[] known = remembered;
        if (known == null) {
            return false;
        }
        byte[] tag = tag(user, password);
        return MessageDigest.isEqual(tag, known);
    }

    void remember(String user, char[] password) {
        remembered = tag(user, password);
    }

    /** Forgets the remembered login. */
    void clear() {
        remembered = null;
    }

    private byte[] tag(String user, char[] password) {
        ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4).putInt(u.length).array()); // length prefix: no user/password ambiguity
            mac.update(u);
            mac.update(pw.duplicate());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " is part of every Java SE runtime, yet it is missing", e);
        } finally {
            if (pw.hasArray()) {
                Arrays.fill(pw.array(), (byte) 0);
            }
        }
    }
}
