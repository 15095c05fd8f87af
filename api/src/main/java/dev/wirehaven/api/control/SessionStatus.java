package dev.wirehaven.api.control;

import dev.wirehaven.api.session.SessionPhase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The server's view of one session, answered by the status, confirm and disconnect calls.
 *
 * @param sessionId the session's id
 * @param phase the session's phase
 * @param user the authenticated user, or {@code null} before authentication
 * @param addresses the client's tunnel addresses (empty before configuration)
 * @param expiresAt when the session lapses unless renewed by re-authentication
 * @param lastHandshake when the server last completed a handshake with the client, or {@code null}
 * @param rxBytes bytes the server received from the client through the tunnel
 * @param txBytes bytes the server sent to the client through the tunnel
 * @param policyVersion the newest policy version for this session (see {@link PolicyUpdate})
 * @param stepUp when not empty, a policy asks for one more factor: the client answers one of these
 *        methods with {@code POST /api/v1/sessions/{id}/step-up} while the tunnel stays up (since 1.1)
 */
public record SessionStatus(
        String sessionId,
        SessionPhase phase,
        String user,
        List<String> addresses,
        Instant expiresAt,
        Instant lastHandshake,
        long rxBytes,
        long txBytes,
        long policyVersion,
        List<MethodPrompt> stepUp) {

    /** Validates. */
    public SessionStatus {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phase, "phase");
        addresses = Messages.list("addresses", addresses);
        stepUp = Messages.values("stepUp", stepUp);
    }

    /** A status without a step-up: the form of version 1.0. */
    public SessionStatus(
            String sessionId,
            SessionPhase phase,
            String user,
            List<String> addresses,
            Instant expiresAt,
            Instant lastHandshake,
            long rxBytes,
            long txBytes,
            long policyVersion) {
        this(sessionId, phase, user, addresses, expiresAt, lastHandshake, rxBytes, txBytes, policyVersion, List.of());
    }
}
