package dev.wirehaven.api.response;

import java.time.Duration;
import java.util.Objects;

/**
 * A request to act: from a detector that found a threat, or from an operator.
 *
 * @param action what to do
 * @param target what to do it to, as {@link ResponseAction} says for each action; not blank
 * @param duration how long a {@linkplain ResponseAction#isLasting() lasting} action stays in force
 *        (the server caps it at its configured maximum); ignored for the others; positive
 * @param reason why, for the audit log and the operator (the finding's description); never a secret;
 *        not blank
 * @param requestedBy who asks, such as {@code detector password-guessing} or {@code an operator
 *        (wirehaven:block)}; not blank
 */
public record ResponseRequest(
        ResponseAction action, String target, Duration duration, String reason, String requestedBy) {

    /** Validates. */
    public ResponseRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if (target.isBlank() || reason.isBlank() || requestedBy.isBlank()) {
            throw new IllegalArgumentException("a response request needs a target, a reason and who asks");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration of a response is not positive: " + duration);
        }
    }
}
