package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.SessionStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The step-ups asked of live sessions: which methods, and why. The client learns of one in the next
 * status answer ({@link SessionStatus#stepUp()}) and answers through the step-up call; the tunnel is
 * never torn down for it. In memory: after a restart the policy that asked asks again.
 */
final class StepUps {

    /** One step-up asked of a session. */
    record Asked(List<String> methods, String reason) {}

    private final ConcurrentMap<String, Asked> asked = new ConcurrentHashMap<>();

    void ask(String sessionId, List<String> methods, String reason) {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("a step-up names at least one method");
        }
        asked.put(sessionId, new Asked(List.copyOf(methods), reason));
    }

    Optional<Asked> of(String sessionId) {
        return Optional.ofNullable(asked.get(sessionId));
    }

    void done(String sessionId) {
        asked.remove(sessionId);
    }

    /** The status as the client sees it: with the prompts of a pending step-up. */
    SessionStatus decorate(SessionStatus status, AuthChain chain) {
        Asked a = asked.get(status.sessionId());
        if (a == null) {
            return status;
        }
        return new SessionStatus(
                status.sessionId(),
                status.phase(),
                status.user(),
                status.addresses(),
                status.expiresAt(),
                status.lastHandshake(),
                status.rxBytes(),
                status.txBytes(),
                status.policyVersion(),
                chain.prompts(a.methods()));
    }
}
