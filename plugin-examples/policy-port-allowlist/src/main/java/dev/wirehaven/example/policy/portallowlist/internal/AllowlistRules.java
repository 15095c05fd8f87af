package dev.wirehaven.example.policy.portallowlist.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allowlist as data-plane rules for one session, so that the server enforces on every packet what
 * {@link PortAllowlistPolicy#decide} answers: for a user in a listed group, an ALLOW rule per open port
 * range of each of the user's listed groups, to anywhere, then a DENY of every other TCP and UDP port.
 * Other protocols match no rule, so the engine has no say over them (NOT_APPLICABLE), as in decide().
 *
 * <p>Rule names are {@code group:<group>} and {@code other-ports}; the server puts the engine's name in
 * front when it counts and audits them ({@code port-allowlist:other-ports}).
 */
final class AllowlistRules {

    private static final List<IpPrefix> ANYWHERE = List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));
    private static final String PREFIX = "group:";
    private static final String OTHER_PORTS = "other-ports";

    private AllowlistRules() {}

    /** The rules of a user in {@code groups}; empty when none of them is listed. */
    static RuleSet of(Allowlist allowlist, Set<String> groups) {
        if (!allowlist.governsAny(groups)) {
            return RuleSet.of(List.of());
        }
        List<AccessRule> rules = new ArrayList<>();
        for (Map.Entry<String, List<PortRange>> e : allowlist.rangesOf(groups).entrySet()) {
            String name = ruleName(e.getKey());
            for (PortRange range : e.getValue()) {
                for (IpPrefix anywhere : ANYWHERE) {
                    rules.add(new AccessRule(
                            name, Verdict.ALLOW, anywhere, range.protocol(), range.from(), range.to(), List.of()));
                }
            }
        }
        for (Protocol p : List.of(Protocol.TCP, Protocol.UDP)) {
            for (IpPrefix anywhere : ANYWHERE) {
                rules.add(new AccessRule(OTHER_PORTS, Verdict.DENY, anywhere, p, 0, 0, List.of()));
            }
        }
        return RuleSet.of(rules);
    }

    /** {@code group:<group>}, the group's name made to fit what a rule name may hold. */
    static String ruleName(String group) {
        String name = PREFIX + group.replaceAll("[^A-Za-z0-9._:-]", "_");
        return name.length() <= AccessRule.MAX_NAME_LENGTH ? name : name.substring(0, AccessRule.MAX_NAME_LENGTH);
    }
}
