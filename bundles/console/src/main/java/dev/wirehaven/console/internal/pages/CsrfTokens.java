package dev.wirehaven.console.internal.pages;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The token that every form of the console's own pages carries, proving that the post came from a
 * page this server rendered for the signed-in admin: the console authenticates with HTTP Basic, and
 * a browser sends a cached Basic credential with another site's form post too. ForgeryGuard's Origin
 * check stops that already; the token is the second, independent lock, for a browser or proxy that
 * gets the Origin wrong.
 *
 * <p>Basic auth has no login to hang a random token on, so the token is an HMAC-SHA256 of the admin's
 * user name under a random key made when the console bundle starts: stable for the admin while the
 * server runs (pages open in several tabs all work), unguessable for anybody who cannot read the
 * console's pages, and dead after a restart. Checked in constant time. One instance (a component of
 * this bundle) serves all the pages, so that the key is made once per start.
 */
@Component(service = CsrfTokens.class)
public final class CsrfTokens {

    /** The name of the hidden form field. */
    static final String FIELD = "wirehaven-csrf";

    private static final String ALGORITHM = "HmacSHA256";

    /** Keeps these tokens apart from any other HMAC that might one day use the same key. */
    private static final String CONTEXT = "wirehaven console form token\0";

    private final SecretKeySpec key;

    @Activate
    public CsrfTokens() {
        this(new SecureRandom());
    }

    CsrfTokens(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.key = new SecretKeySpec(secret, ALGORITHM);
        // SecretKeySpec copied the bytes; the copy lives as long as the bundle (the JVM cannot wipe it)
        java.util.Arrays.fill(secret, (byte) 0);
    }

    /** The token for the forms of {@code user}'s pages. */
    String tokenFor(String user) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] tag = mac.doFinal((CONTEXT + user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /** True only when {@code presented} is {@code user}'s token; false for a missing user or token. */
    boolean verify(String user, String presented) {
        if (user == null || user.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                tokenFor(user).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
    }
}
