package dev.wirehaven.api.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Step 2, server to client: which credentials the server accepts now for this session.
 *
 * @param sessionId the id of the new session, used in every later path
 * @param methods the acceptable auth methods, such as {@code password} or {@code totp}, best first
 * @param expiresAt when the challenge lapses; an answer after that is refused and the client starts over
 * @param prompts for each method, what to ask the person (since 1.1; empty from a 1.0 server)
 */
public record AuthChallenge(String sessionId, List<String> methods, Instant expiresAt, List<MethodPrompt> prompts) {

    /** Validates. */
    public AuthChallenge {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        methods = Messages.list("methods", methods);
        prompts = Messages.values("prompts", prompts);
    }

    /** A challenge without prompts: the form of version 1.0. */
    public AuthChallenge(String sessionId, List<String> methods, Instant expiresAt) {
        this(sessionId, methods, expiresAt, List.of());
    }
}
