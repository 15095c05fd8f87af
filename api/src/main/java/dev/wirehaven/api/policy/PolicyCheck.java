package dev.wirehaven.api.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * What the policy in force says about one flow now.
 *
 * @param verdict the deciding rule's verdict; {@link Verdict#NOT_APPLICABLE} when no rule matches (the
 *        server then denies unless another engine allows)
 * @param rule the rule that decides, or {@code null} when none matches
 * @param validUntil when this user's rules change next (a time window opens or closes), or
 *        {@code null} when they do not change with time
 */
public record PolicyCheck(Verdict verdict, PolicyStatement rule, Instant validUntil) {

    /** Checks that a rule decides exactly when the verdict is not NOT_APPLICABLE. */
    public PolicyCheck {
        Objects.requireNonNull(verdict, "verdict");
        if ((rule == null) != (verdict == Verdict.NOT_APPLICABLE)) {
            throw new IllegalArgumentException("a rule decides every verdict but NOT_APPLICABLE: " + verdict);
        }
    }
}
