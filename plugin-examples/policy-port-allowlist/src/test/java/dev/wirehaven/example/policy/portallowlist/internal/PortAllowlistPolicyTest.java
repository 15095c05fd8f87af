package dev.wirehaven.example.policy.portallowlist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.SubnetAdvertisement;
import dev.wirehaven.api.policy.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortAllowlistPolicyTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private final PortAllowlistPolicy policy = new PortAllowlistPolicy(
            List.of("developers:tcp/22,tcp/443,udp/53", "ops:tcp/1-1024", "developers: tcp/8000-8100"), TTL);

    private static ResourceAccess access(Identity who, Protocol protocol, int port) {
        try {
            return new ResourceAccess(who, "s1", protocol, InetAddress.getByName("10.20.0.5"), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aListedPortIsAllowedForTheGroupWithTheRuleInTheReason() {
        Decision d = policy.decide(access(Identity.of("alice", "developers"), Protocol.TCP, 443));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(TTL, d.timeToLive());
        assertTrue(d.reason().contains("developers"), d.reason());
    }

    @Test
    void rangesAndRepeatedGroupLinesAddUp() {
        assertEquals(
                Verdict.ALLOW,
                policy.decide(access(Identity.of("alice", "developers"), Protocol.TCP, 8080))
                        .verdict());
        assertEquals(
                Verdict.ALLOW,
                policy.decide(access(Identity.of("bob", "ops"), Protocol.TCP, 1024))
                        .verdict());
        assertEquals(
                Verdict.DENY,
                policy.decide(access(Identity.of("bob", "ops"), Protocol.TCP, 1025))
                        .verdict());
    }

    @Test
    void anUnlistedPortOrTheWrongProtocolIsDeniedForAListedGroup() {
        Decision d = policy.decide(access(Identity.of("alice", "developers"), Protocol.TCP, 25));
        assertEquals(Verdict.DENY, d.verdict());
        assertTrue(d.reason().contains("tcp/25"), d.reason());
        assertEquals(
                Verdict.DENY,
                policy.decide(access(Identity.of("alice", "developers"), Protocol.UDP, 22))
                        .verdict());
    }

    @Test
    void anyOfTheUsersGroupsMayOpenThePort() {
        Identity both = Identity.of("carol", "developers", "ops");
        assertEquals(
                Verdict.ALLOW, policy.decide(access(both, Protocol.TCP, 80)).verdict());
        assertEquals(
                Verdict.ALLOW, policy.decide(access(both, Protocol.UDP, 53)).verdict());
    }

    @Test
    void whatTheRulesDoNotCoverIsLeftToOtherEngines() throws Exception {
        assertEquals(
                Verdict.NOT_APPLICABLE,
                policy.decide(access(Identity.of("dave", "sales"), Protocol.TCP, 443))
                        .verdict(),
                "no listed group");
        assertEquals(
                Verdict.NOT_APPLICABLE,
                policy.decide(access(Identity.of("alice", "developers"), Protocol.ICMP, 0))
                        .verdict(),
                "no ports");
        assertEquals(
                Verdict.NOT_APPLICABLE,
                policy.decide(new SubnetAdvertisement(
                                Identity.of("branch", "developers"), "s2", IpPrefix.parse("192.168.50.0/24")))
                        .verdict(),
                "subnet advertisement");
    }

    @Test
    void withoutConfigurationNothingIsApplicable() {
        PortAllowlistPolicy empty = new PortAllowlistPolicy(List.of(), TTL);
        assertEquals(
                Verdict.NOT_APPLICABLE,
                empty.decide(access(Identity.of("alice", "developers"), Protocol.TCP, 22))
                        .verdict());
    }

    @Test
    void badRulesFailActivationWithTheirPosition() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new PortAllowlistPolicy(List.of("ops:tcp/22", "dev:sctp/9"), TTL));
        assertTrue(e.getMessage().contains("rules[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PortAllowlistPolicy(List.of("ops:tcp/0"), TTL));
        assertThrows(IllegalArgumentException.class, () -> new PortAllowlistPolicy(List.of("ops:tcp/90-80"), TTL));
        assertThrows(IllegalArgumentException.class, () -> new PortAllowlistPolicy(List.of("tcp/22"), TTL));
        assertThrows(IllegalArgumentException.class, () -> new PortAllowlistPolicy(List.of("ops:tcp/x"), TTL));
        assertThrows(IllegalArgumentException.class, () -> new PortAllowlistPolicy(List.of(), Duration.ofSeconds(-1)));
    }
}
