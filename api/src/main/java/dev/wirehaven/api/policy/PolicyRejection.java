package dev.wirehaven.api.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why the policy file as it is now is not in force; the policy in force before it stays.
 *
 * @param at when the engine found the file so
 * @param problems every mistake, in line order, at least one
 */
public record PolicyRejection(Instant at, List<PolicyProblem> problems) {

    /** Rejects missing parts and copies the list. */
    public PolicyRejection {
        Objects.requireNonNull(at, "at");
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection names at least one problem");
        }
    }
}
