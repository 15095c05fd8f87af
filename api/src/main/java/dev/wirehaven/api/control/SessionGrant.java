package dev.wirehaven.api.control;

import java.time.Instant;
import java.util.Objects;

/**
 * Step 4, server to client: the credentials were accepted. The token authorises every later call as
 * {@code Authorization: Bearer <token>}; the server keeps only its hash, so a lost token cannot be
 * recovered, only replaced by authenticating again.
 *
 * @param sessionId the session's id
 * @param token the bearer token, secret
 * @param expiresAt when the token lapses unless the client re-authenticates before
 */
public record SessionGrant(String sessionId, String token, Instant expiresAt) {

    /** Validates. */
    public SessionGrant {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Hides the token. */
    @Override
    public String toString() {
        return "SessionGrant[sessionId=" + sessionId + ", expiresAt=" + expiresAt + "]";
    }
}
