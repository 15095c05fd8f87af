package dev.wirehaven.sessions.internal.access;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the policy engines' rule sets for one session into the data plane's {@link PeerFilter}: one
 * stage per engine that has traffic rules, in consultation order, so that the device combines them as
 * {@link Verdict} says (any deny denies; otherwise an allow allows; otherwise deny). Engines are asked
 * here, off the packet path; the device then judges each new flow against the compiled rules.
 *
 * <ul>
 * <li>A {@code STEP_UP} rule denies, except for the session's live grants inside it, which are put
 *     right before it as allow rules for one address and port.</li>
 * <li>An engine whose {@code rules()} throws denies everything (its stage is one deny rule), as a
 *     failing {@code decide()} does.</li>
 * <li>Protocol {@code OTHER} cannot be told apart from the rest by the device and is left out of the
 *     filter (logged once per engine): such flows fall to the other rules and to default deny.</li>
 * </ul>
 * Counters and the audit log name a rule {@code <engine>:<rule>}.
 */
public final class FilterCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(FilterCompiler.class);
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;

    private FilterCompiler() {}

    /**
     * The filter of {@code identity}'s session {@code sessionId} under {@code engines}, with its live
     * {@code grants}. Flows toward the session are replies only, except toward the subnets it
     * {@code advertises} (a site-to-site branch, whose advertisement the policy already admitted):
     * hosts of the main office may open flows to the branch's hosts.
     */
    public static CompiledAccess compile(
            Identity identity,
            String sessionId,
            List<BoundPlugin<PolicyEngine>> engines,
            List<Grant> grants,
            List<IpPrefix> advertises,
            Instant now) {
        List<List<FlowRule>> stages = new ArrayList<>();
        Instant validUntil = null;
        int count = 0;
        for (BoundPlugin<PolicyEngine> engine : engines) {
            EngineRules answer = rulesOf(engine, identity, sessionId);
            if (answer.failed()) {
                stages.add(denyAll(engine.name() + ":engine-failed"));
                count += 2;
                continue;
            }
            if (answer.set() == null) {
                continue;
            }
            List<FlowRule> stage = new ArrayList<>();
            for (AccessRule rule : answer.set().rules()) {
                validUntil = earliest(validUntil, add(stage, engine.name(), rule, grants, now));
            }
            stages.add(stage);
            count += stage.size();
            validUntil = earliest(validUntil, answer.set().validUntil());
        }
        List<FlowRule> toSite = new ArrayList<>();
        for (IpPrefix subnet : advertises) {
            toSite.add(FlowRule.anyTo("site:" + subnet, true, toCidr(subnet)));
        }
        List<List<FlowRule>> toPeer = toSite.isEmpty() ? List.of() : List.of(toSite);
        return new CompiledAccess(new PeerFilter(stages, toPeer), validUntil, count + toSite.size());
    }

    /** What an engine answered: its rule set (null when it has no traffic rules), or that it failed. */
    private record EngineRules(RuleSet set, boolean failed) {}

    private static EngineRules rulesOf(BoundPlugin<PolicyEngine> engine, Identity identity, String sessionId) {
        try {
            Optional<RuleSet> set = engine.service().rules(identity, sessionId);
            return new EngineRules(set == null ? null : set.orElse(null), false);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn(
                    "Policy engine {} failed to give its rules: {}; its stage denies everything",
                    engine.describe(),
                    e.toString());
            return new EngineRules(null, true);
        }
    }

    /** Adds the flow rules of one access rule; returns the end of the earliest grant it used, or null. */
    private static Instant add(List<FlowRule> stage, String engine, AccessRule rule, List<Grant> grants, Instant now) {
        String name = engine + ":" + rule.name();
        if (rule.protocol() == Protocol.OTHER) {
            LOG.debug("Rule {} names protocol OTHER, which the data plane cannot single out; left out", name);
            return null;
        }
        Instant used = null;
        if (rule.verdict() == Verdict.STEP_UP) {
            for (Grant g : grants) {
                if (g.holdsAt(now) && rule.matches(g.protocol(), g.destination(), g.port())) {
                    Cidr host = Cidr.parse(g.destination().getHostAddress());
                    int proto = ipProtocol(g.protocol(), g.destination() instanceof Inet4Address);
                    int port = g.protocol().hasPorts() ? g.port() : 0;
                    stage.add(new FlowRule(name + ":granted", true, host, proto, port, port));
                    used = earliest(used, g.until());
                }
            }
        }
        boolean allow = rule.verdict() == Verdict.ALLOW;
        Cidr destination = toCidr(rule.destination());
        int proto = rule.protocol() == null
                ? FlowRule.ANY_PROTOCOL
                : ipProtocol(rule.protocol(), rule.destination().isIpv4());
        stage.add(new FlowRule(name, allow, destination, proto, rule.firstPort(), rule.lastPort()));
        return used;
    }

    private static int ipProtocol(Protocol protocol, boolean ipv4) {
        return switch (protocol) {
            case TCP -> TCP;
            case UDP -> UDP;
            case ICMP -> ipv4 ? ICMP : ICMPV6;
            case OTHER -> throw new IllegalArgumentException("OTHER has no single protocol number");
        };
    }

    private static List<FlowRule> denyAll(String name) {
        return List.of(
                FlowRule.anyTo(name, false, Cidr.parse("0.0.0.0/0")), FlowRule.anyTo(name, false, Cidr.parse("::/0")));
    }

    private static Cidr toCidr(IpPrefix prefix) {
        return new Cidr(prefix.address(), prefix.prefixLength());
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
