package dev.wirehaven.api.monitor;

import dev.wirehaven.api.session.SessionPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * A session entered a phase: the audit trail of who connected when, and how each session ended.
 *
 * @param sessionId the session, as {@link dev.wirehaven.api.session.SessionView#id()}; not blank
 * @param user the authenticated user, or empty before {@link SessionPhase#AUTHENTICATED}
 * @param phase the phase the session entered
 * @param timestamp when it entered the phase
 * @param detail a short human-readable note (the tunnel address given, why it ended); may be empty,
 *        never contains secrets
 */
public record SessionEvent(String sessionId, String user, SessionPhase phase, Instant timestamp, String detail) {

    /** Rejects missing parts. */
    public SessionEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(detail, "detail");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("the session id is blank");
        }
    }
}
