package dev.wirehaven.sessions.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.plugins.PluginKind;
import dev.wirehaven.sessions.internal.plugins.PluginOrigin;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FilterCompilerTest {

    private static final Identity ALICE = new Identity("alice", Set.of("engineers"), Map.of());
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void eachEngineWithRulesBecomesOneStageInConsultationOrderAndEnginesWithoutRulesNone() {
        CompiledAccess c = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(
                        engine(
                                "acl",
                                () -> Optional.of(RuleSet.of(List.of(
                                        rule("git", Verdict.ALLOW, "10.20.0.5/32", Protocol.TCP, 22, 22),
                                        rule("rest", Verdict.DENY, "0.0.0.0/0", null, 0, 0))))),
                        engine("decide-only", Optional::empty),
                        engine(
                                "dns",
                                () -> Optional.of(RuleSet.of(List.of(
                                        rule("resolver", Verdict.ALLOW, "10.20.0.53/32", Protocol.UDP, 53, 53)))))),
                List.of(),
                List.of(),
                NOW);

        assertEquals(
                List.of(
                        List.of(
                                new FlowRule("acl:git", true, Cidr.parse("10.20.0.5/32"), 6, 22, 22),
                                FlowRule.anyTo("acl:rest", false, Cidr.parse("0.0.0.0/0"))),
                        List.of(new FlowRule("dns:resolver", true, Cidr.parse("10.20.0.53/32"), 17, 53, 53))),
                c.filter().fromPeer());
        assertEquals(List.of(), c.filter().toPeer(), "only replies reach a client");
        assertNull(c.validUntil());
    }

    @Test
    void icmpBecomesIcmpv6ForAnIpv6Destination() {
        CompiledAccess c = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(engine(
                        "acl",
                        () -> Optional.of(RuleSet.of(List.of(
                                rule("ping4", Verdict.ALLOW, "10.0.0.0/8", Protocol.ICMP, 0, 0),
                                rule("ping6", Verdict.ALLOW, "fd00::/8", Protocol.ICMP, 0, 0)))))),
                List.of(),
                List.of(),
                NOW);

        List<FlowRule> stage = c.filter().fromPeer().get(0);
        assertEquals(1, stage.get(0).ipProtocol());
        assertEquals(58, stage.get(1).ipProtocol());
    }

    @Test
    void aStepUpRuleDeniesExceptForALiveGrantInsideItWhichGoesRightBeforeIt() throws Exception {
        InetAddress host = InetAddress.getByName("10.20.0.7");
        Supplier<Optional<RuleSet>> rules = () -> Optional.of(RuleSet.of(List.of(new AccessRule(
                "admin-ssh", Verdict.STEP_UP, IpPrefix.parse("10.20.0.0/24"), Protocol.TCP, 22, 22, List.of("totp")))));
        Instant until = NOW.plusSeconds(3600);

        CompiledAccess granted = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(engine("acl", rules)),
                List.of(new Grant(Protocol.TCP, host, 22, until)),
                List.of(),
                NOW);
        CompiledAccess lapsed = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(engine("acl", rules)),
                List.of(new Grant(Protocol.TCP, host, 22, NOW.minusSeconds(1))),
                List.of(),
                NOW);

        assertEquals(
                List.of(
                        new FlowRule("acl:admin-ssh:granted", true, Cidr.parse("10.20.0.7/32"), 6, 22, 22),
                        new FlowRule("acl:admin-ssh", false, Cidr.parse("10.20.0.0/24"), 6, 22, 22)),
                granted.filter().fromPeer().get(0));
        assertEquals(until, granted.validUntil(), "compiled again when the grant lapses");
        assertEquals(
                List.of(new FlowRule("acl:admin-ssh", false, Cidr.parse("10.20.0.0/24"), 6, 22, 22)),
                lapsed.filter().fromPeer().get(0));
    }

    @Test
    void anEngineThatFailsToGiveItsRulesDeniesEverything() {
        CompiledAccess c = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(engine("broken", () -> {
                    throw new IllegalStateException("database down");
                })),
                List.of(),
                List.of(),
                NOW);

        assertEquals(
                List.of(
                        FlowRule.anyTo("broken:engine-failed", false, Cidr.parse("0.0.0.0/0")),
                        FlowRule.anyTo("broken:engine-failed", false, Cidr.parse("::/0"))),
                c.filter().fromPeer().get(0));
    }

    @Test
    void theRuleSetsEarliestValidityIsWhenToCompileAgain() {
        Instant window = NOW.plusSeconds(600);
        CompiledAccess c = FilterCompiler.compile(
                ALICE,
                "s1",
                List.of(
                        engine("hours", () -> Optional.of(new RuleSet(List.of(), window))),
                        engine("later", () -> Optional.of(new RuleSet(List.of(), window.plusSeconds(60))))),
                List.of(),
                List.of(),
                NOW);

        assertEquals(window, c.validUntil());
    }

    @Test
    void hostsBehindTheMainOfficeMayOpenFlowsTowardTheSubnetsABranchAdvertisesAndOnlyThere() {
        CompiledAccess c = FilterCompiler.compile(
                ALICE, "s1", List.of(), List.of(), List.of(IpPrefix.parse("192.168.30.0/24")), NOW);

        assertEquals(
                List.of(List.of(FlowRule.anyTo("site:192.168.30.0/24", true, Cidr.parse("192.168.30.0/24")))),
                c.filter().toPeer());
    }

    private static AccessRule rule(String name, Verdict v, String prefix, Protocol p, int first, int last) {
        return new AccessRule(name, v, IpPrefix.parse(prefix), p, first, last, List.of());
    }

    private static BoundPlugin<PolicyEngine> engine(String name, Supplier<Optional<RuleSet>> rules) {
        PolicyEngine engine = new PolicyEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision decide(AccessRequest request) {
                return Decision.notApplicable();
            }

            @Override
            public Optional<RuleSet> rules(Identity identity, String sessionId) {
                return rules.get();
            }
        };
        return new BoundPlugin<>(
                PluginKind.POLICY_ENGINE,
                name,
                new PluginOrigin(name.hashCode(), "test.policy", "1.0.0", 0, Map.of()),
                engine);
    }
}
