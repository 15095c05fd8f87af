package dev.wirehaven.api.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policy that an engine applies now.
 *
 * @param source the policy file
 * @param version 0 before any file was loaded (no rules), then 1, 2, ... for each file put in force;
 *        the engine's {@code wirehaven.policy.version} service property
 * @param since when it was put in force; {@code null} for version 0
 * @param text the file's content as it was loaded; empty for version 0
 * @param rules the traffic rules in the order they are evaluated (the first that matches decides)
 * @param others the other named statements (such as subnet advertisements), in file order
 */
public record PolicyInForce(
        String source,
        long version,
        Instant since,
        String text,
        List<PolicyStatement> rules,
        List<PolicyStatement> others) {

    /** Rejects missing parts and copies the lists. */
    public PolicyInForce {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        rules = List.copyOf(rules);
        others = List.copyOf(others);
    }
}
