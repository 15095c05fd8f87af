package dev.wirehaven.api.admin;

import java.util.Objects;

/**
 * A new, not yet confirmed authenticator secret, as the operator hands it to the user once: the
 * {@code otpauth://} URI that an authenticator app reads (from a QR code or a link) and the same secret
 * as a key for typing. The server keeps only the encrypted secret; whoever holds these values can make
 * the user's codes, so show them once and do not log or store them. {@link #toString()} leaves them out.
 *
 * @param user the user name
 * @param otpauthUri the {@code otpauth://totp/...} URI with the secret, issuer and parameters
 * @param key the secret in Base32, grouped by four characters for typing
 * @param sentence what happened, for the operator (it holds no secret)
 * @since 1.1
 */
public record NewAuthenticator(String user, String otpauthUri, String key, String sentence) {

    /** Validates. */
    public NewAuthenticator {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(otpauthUri, "otpauthUri");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sentence, "sentence");
        if (!otpauthUri.startsWith("otpauth://")) {
            throw new IllegalArgumentException("an authenticator URI starts with otpauth://");
        }
    }

    /** Without the URI and the key, which hold the secret. */
    @Override
    public String toString() {
        return "NewAuthenticator[" + user + "]";
    }
}
