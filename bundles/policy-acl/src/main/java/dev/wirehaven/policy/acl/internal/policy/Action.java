package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.policy.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * What a rule does with the flows it matches: {@code allow}, {@code deny}, or {@code step-up} with the
 * auth methods of which one more factor opens them.
 *
 * @param verdict ALLOW, DENY or STEP_UP
 * @param stepUpMethods the methods for STEP_UP, empty otherwise
 */
public record Action(Verdict verdict, List<String> stepUpMethods) {

    /** Copies the methods. */
    public Action {
        Objects.requireNonNull(verdict, "verdict");
        stepUpMethods = List.copyOf(Objects.requireNonNull(stepUpMethods, "stepUpMethods"));
    }

    /** As the policy file writes it. */
    @Override
    public String toString() {
        return switch (verdict) {
            case ALLOW -> "allow";
            case DENY -> "deny";
            default -> "step-up " + String.join(",", stepUpMethods);
        };
    }
}
