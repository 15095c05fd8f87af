package dev.wirehaven.api.auth;

import java.util.Objects;

/**
 * A bearer token such as an OIDC ID or access token, or a static API token. Whoever holds it is
 * authenticated, so it is never printed: {@link #toString()} shows only its length.
 *
 * <p>The token is a {@code String} because tokens arrive as text (HTTP headers, JSON) and the
 * libraries that verify them take text; unlike a password it cannot be wiped from memory.
 *
 * @param token the token text as the client sent it, without a {@code Bearer } prefix; not blank
 */
public record BearerToken(String token) implements Credential {

    /** Rejects a missing or blank token. */
    public BearerToken {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the token is blank");
        }
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.BEARER_TOKEN;
    }

    /** Deliberately opaque: tokens must not reach logs by accident. */
    @Override
    public String toString() {
        return "BearerToken[redacted, " + token.length() + " chars]";
    }
}
