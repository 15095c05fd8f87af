package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.SessionGrant;
import java.time.Instant;
import java.util.Objects;

/**
 * An authenticated session as the client holds it: the id, and the bearer token with its expiry,
 * which re-authentication replaces. The token lives only in memory.
 */
public final class Session {

    private final String id;
    private volatile String token;
    private volatile Instant expiresAt;

    public Session(SessionGrant grant) {
        this.id = Objects.requireNonNull(grant.sessionId(), "sessionId");
        renew(grant);
    }

    public String id() {
        return id;
    }

    public String token() {
        return token;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Takes the new token and expiry of a re-authentication. */
    public synchronized void renew(SessionGrant grant) {
        if (!id.equals(grant.sessionId())) {
            throw new IllegalArgumentException(
                    "a grant for session " + grant.sessionId() + " cannot renew session " + id);
        }
        this.token = grant.token();
        this.expiresAt = grant.expiresAt();
    }

    @Override
    public String toString() {
        return "Session[" + id + ", expires " + expiresAt + "]";
    }
}
