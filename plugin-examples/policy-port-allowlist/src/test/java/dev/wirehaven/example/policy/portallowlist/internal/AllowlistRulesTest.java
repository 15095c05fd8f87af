package dev.wirehaven.example.policy.portallowlist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllowlistRulesTest {

    private static final IpPrefix ANY4 = IpPrefix.parse("0.0.0.0/0");
    private static final IpPrefix ANY6 = IpPrefix.parse("::/0");

    private final PortAllowlistPolicy policy = new PortAllowlistPolicy(
            List.of("developers:tcp/22,tcp/443,udp/53", "ops:tcp/1-1024", "developers: tcp/8000-8100"),
            Duration.ofMinutes(5));

    private static AccessRule allow(String name, IpPrefix to, Protocol p, int from, int until) {
        return new AccessRule(name, Verdict.ALLOW, to, p, from, until, List.of());
    }

    private static AccessRule deny(IpPrefix to, Protocol p) {
        return new AccessRule("other-ports", Verdict.DENY, to, p, 0, 0, List.of());
    }

    @Test
    void aListedUserGetsItsGroupsOpenPortsToAnywhereThenTheOtherTcpAndUdpPortsDenied() {
        RuleSet ops = policy.rules(Identity.of("bob", "ops", "sales"), "s1").orElseThrow();
        assertEquals(
                List.of(
                        allow("group:ops", ANY4, Protocol.TCP, 1, 1024),
                        allow("group:ops", ANY6, Protocol.TCP, 1, 1024),
                        deny(ANY4, Protocol.TCP),
                        deny(ANY6, Protocol.TCP),
                        deny(ANY4, Protocol.UDP),
                        deny(ANY6, Protocol.UDP)),
                ops.rules());
        assertNull(ops.validUntil(), "the rules hold until the configuration changes");
        RuleSet both =
                policy.rules(Identity.of("carol", "developers", "ops"), "s1").orElseThrow();
        assertEquals(2 * (4 + 1) + 4, both.rules().size());
    }

    @Test
    void aUserInNoListedGroupGetsAnEmptyRuleSet() {
        assertEquals(
                RuleSet.of(List.of()),
                policy.rules(Identity.of("dave", "sales"), "s1").orElseThrow());
        assertEquals(
                RuleSet.of(List.of()),
                new PortAllowlistPolicy(List.of(), Duration.ZERO)
                        .rules(Identity.of("alice", "developers"), "s1")
                        .orElseThrow());
    }

    @Test
    void groupNamesAreMadeToFitRuleNames() {
        assertEquals("group:Domain_Users", AllowlistRules.ruleName("Domain Users"));
        assertEquals(
                AccessRule.MAX_NAME_LENGTH,
                AllowlistRules.ruleName("g".repeat(100)).length());
        RuleSet odd = new PortAllowlistPolicy(List.of("Domain Users:tcp/22"), Duration.ZERO)
                .rules(Identity.of("x", "Domain Users"), "s1")
                .orElseThrow();
        assertEquals("group:Domain_Users", odd.rules().get(0).name());
    }

    /** The server enforces rules() on packets and asks decide() for requests: they must give the same verdict. */
    @Test
    void decideAgreesWithTheFirstMatchingRuleForRandomFlows() throws Exception {
        Random random = new Random(42);
        List<Identity> identities = List.of(
                Identity.of("alice", "developers"),
                Identity.of("bob", "ops"),
                Identity.of("carol", "developers", "ops"),
                Identity.of("dave", "sales"),
                Identity.of("erin"));
        List<String> addresses = List.of("10.20.0.5", "192.0.2.1", "fd00::1", "2001:db8::5");
        int[] ports = {1, 21, 22, 23, 53, 54, 442, 443, 444, 1024, 1025, 7999, 8000, 8100, 8101, 65535};
        for (int i = 0; i < 2000; i++) {
            Identity who = identities.get(random.nextInt(identities.size()));
            Protocol protocol = Protocol.values()[random.nextInt(Protocol.values().length)];
            int port = protocol.hasPorts() ? ports[random.nextInt(ports.length)] : 0;
            InetAddress address = InetAddress.getByName(addresses.get(random.nextInt(addresses.size())));
            Decision d = policy.decide(new ResourceAccess(who, "s1", protocol, address, port));
            AccessRule first = policy.rules(who, "s1").orElseThrow().firstMatch(protocol, address, port);
            assertEquals(
                    first == null ? Verdict.NOT_APPLICABLE : first.verdict(),
                    d.verdict(),
                    who + " " + protocol + " " + address + ":" + port);
        }
    }
}
