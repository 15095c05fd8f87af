package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.SubnetAdvertisement;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import dev.wirehaven.policy.acl.internal.policy.SessionRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy engine {@value #NAME}: answers from the policy in force. {@link #rules} gives a session the
 * rules whose {@code who} matches it; {@link #decide} answers a resource request as the first of those
 * rules that matches, and NOT_APPLICABLE when none does, which the server turns into a denial unless
 * another engine allows. Both come from one {@link SessionRules}, so they agree.
 */
public final class AclEngine implements PolicyEngine {

    /** The engine's name. */
    public static final String NAME = "acl";

    private final ActivePolicy active;
    private final Clock clock;
    private final Duration timeToLive;

    /**
     * @param active the policy in force
     * @param clock the time for windows, and the zone of windows that name none
     * @param timeToLive how long the server may reuse a decision, at most (shorter before a window changes)
     */
    AclEngine(ActivePolicy active, Clock clock, Duration timeToLive) {
        this.active = active;
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Always a rule set, empty for an identity that no rule names: the engine has traffic rules even when
     * none applies to this session now, and the answer does not change kind when the policy gains one.
     */
    @Override
    public Optional<RuleSet> rules(Identity identity, String sessionId) {
        return Optional.of(sessionRules(active.current().policy(), identity).toRuleSet());
    }

    @Override
    public Decision decide(AccessRequest request) {
        Policy policy = active.current().policy();
        if (request instanceof ResourceAccess access) {
            return decide(policy, access);
        }
        SubnetAdvertisement ad = (SubnetAdvertisement) request;
        Optional<Advertisement> covering = policy.advertisementCovering(ad.identity(), ad.subnet());
        if (covering.isEmpty()) {
            return Decision.notApplicable();
        }
        Advertisement a = covering.get();
        return Decision.allow("advertise " + a.name() + " (" + policy.at(a.line()) + ")", timeToLive);
    }

    /** The rules of {@code identity} now, with their lines (for {@code acl:check}). */
    SessionRules sessionRules(Policy policy, Identity identity) {
        return SessionRules.of(policy, identity, clock.instant(), clock.getZone());
    }

    private Decision decide(Policy policy, ResourceAccess access) {
        Instant now = clock.instant();
        SessionRules rules = SessionRules.of(policy, access.identity(), now, clock.getZone());
        Optional<SessionRules.Entry> match = rules.firstMatch(access.protocol(), access.destination(), access.port());
        if (match.isEmpty()) {
            return Decision.notApplicable();
        }
        Rule rule = match.get().source();
        String reason = "rule " + rule.name() + " (" + policy.at(rule.line()) + ")";
        Duration ttl = timeToLive;
        if (rules.validUntil() != null) {
            // the rules change when a window opens or closes: no answer outlives that
            Duration left = Duration.between(now, rules.validUntil());
            ttl = left.isNegative() ? Duration.ZERO : left.compareTo(ttl) < 0 ? left : ttl;
        }
        return switch (rule.action().verdict()) {
            case ALLOW -> Decision.allow(reason, ttl);
            case DENY -> Decision.deny(reason, ttl);
            default -> Decision.stepUp(rule.action().stepUpMethods(), reason, ttl);
        };
    }
}
