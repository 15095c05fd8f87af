package dev.wirehaven.api.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link PolicyEngine} lets one session reach, as ordered rules that the server compiles
 * into its data plane ahead of the packets: the first rule that matches a new flow gives the
 * engine's verdict for it; when none matches, the engine has no rule for the flow
 * ({@link Verdict#NOT_APPLICABLE}). Verdicts of several engines combine as {@link Verdict} says.
 *
 * @param rules the rules in order, at most {@link #MAX_RULES}
 * @param validUntil when the server must ask again even without a policy change (a time window
 *        opens or closes then), or {@code null} when the rules hold until the policy changes
 */
public record RuleSet(List<AccessRule> rules, Instant validUntil) {

    /** The most rules in one set. */
    public static final int MAX_RULES = 10_000;

    /** Copies the rules and bounds their number. */
    public RuleSet {
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a rule set holds at most " + MAX_RULES + " rules, not " + rules.size());
        }
    }

    /** The rules, valid until the policy changes. */
    public static RuleSet of(List<AccessRule> rules) {
        return new RuleSet(rules, null);
    }

    /** The first rule that matches a flow, or {@code null} when none does (the engine has no rule for it). */
    public AccessRule firstMatch(Protocol protocol, java.net.InetAddress address, int port) {
        for (AccessRule r : rules) {
            if (r.matches(protocol, address, port)) {
                return r;
            }
        }
        return null;
    }
}
