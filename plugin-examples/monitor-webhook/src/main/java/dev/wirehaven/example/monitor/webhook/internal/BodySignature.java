package dev.wirehaven.example.monitor.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request body with the shared {@code secret}: {@code sha256=} and the hex HMAC-SHA256 of the
 * body's bytes, sent as {@value #HEADER}. A receiver that computes the same over the bytes it got knows
 * the request came from a holder of the secret and was not altered; the body's timestamp lets it
 * refuse a replay. The same scheme as GitHub's webhooks, so existing receiver code fits.
 */
final class BodySignature {

    static final String HEADER = "X-Wirehaven-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    BodySignature(String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the secret is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header's value for {@code body}. */
    String sign(byte[] body) {
        try {
            // a Mac is not thread-safe, and one per request costs nothing next to the request itself
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "HMAC-SHA256 signature";
    }
}
