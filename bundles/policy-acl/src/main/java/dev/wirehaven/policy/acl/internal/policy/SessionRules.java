package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.RuleSet;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The data-plane rules that one identity gets from a policy at one instant, each with the line it came
 * from: the rules whose {@code who} matches, in file order, without those whose time window is closed.
 * {@link #validUntil()} is the next moment at which one of those rules' windows (open or closed) opens or
 * closes, so that the server asks again exactly when the set changes.
 *
 * <p>Both answers of the engine come from here, {@code rules()} as {@link #toRuleSet()} and
 * {@code decide()} as {@link #firstMatch}, so that they agree by construction.
 *
 * @param entries the rules in order
 * @param validUntil when the set changes by the clock, or {@code null} when only an edit changes it
 */
public record SessionRules(List<Entry> entries, Instant validUntil) {

    /** A data-plane rule and the policy line it came from (for the reason of a decision). */
    public record Entry(AccessRule rule, Rule source) {}

    /** Copies the entries. */
    public SessionRules {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /**
     * Compiles {@code policy} for {@code identity} at {@code now}; {@code zone} is the zone of windows that
     * name none (the server's).
     */
    public static SessionRules of(Policy policy, Identity identity, Instant now, ZoneId zone) {
        List<Entry> entries = new ArrayList<>();
        Instant validUntil = null;
        for (Rule rule : policy.rules()) {
            if (!rule.who().matches(identity)) {
                continue;
            }
            if (rule.window() != null) {
                Instant change = rule.window().nextChange(now, zone);
                if (change != null && (validUntil == null || change.isBefore(validUntil))) {
                    validUntil = change;
                }
                if (!rule.window().isOpen(now, zone)) {
                    continue;
                }
            }
            rule.accessRules().forEach(r -> entries.add(new Entry(r, rule)));
        }
        return new SessionRules(entries, validUntil);
    }

    /** The first rule that matches the flow, as the data plane finds it. */
    public Optional<Entry> firstMatch(Protocol protocol, InetAddress address, int port) {
        return entries.stream()
                .filter(e -> e.rule().matches(protocol, address, port))
                .findFirst();
    }

    /** The rules for the server. */
    public RuleSet toRuleSet() {
        return new RuleSet(entries.stream().map(Entry::rule).toList(), validUntil);
    }
}
