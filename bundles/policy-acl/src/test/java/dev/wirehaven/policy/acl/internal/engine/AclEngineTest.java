package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.SubnetAdvertisement;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.language.PolicyParser;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AclEngineTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Duration TTL = Duration.ofSeconds(60);

    private static final String TEXT = """
            host git 10.20.0.5
            network office 10.20.0.0/24, fd00:20::/64
            rule git-ssh: allow group:engineers -> git tcp/22,443
            rule wiki: allow user:alice -> office tcp/80
            rule admin-ssh: step-up totp,webauthn group:admins -> office tcp/22
            rule no-smtp: deny * -> * tcp/25
            rule dns: allow * -> 10.20.0.53 udp/53
            rule ping: allow group:engineers -> office icmp
            rule contractors: allow group:contractors -> office tcp/443 during Mon-Fri 08:00-18:00
            rule lab: allow group:engineers -> 10.20.0.128/25 tcp/8000-8100, udp/60000-60010 during daily 22:00-06:00
            rule office-deny: deny group:contractors -> office
            advertise branch-lan: group:branches -> 10.30.0.0/16
            """;

    private static Instant paris(int day, int hour, int minute) {
        return ZonedDateTime.of(2025, 3, day, hour, minute, 0, 0, PARIS).toInstant();
    }

    private static AclEngine engine(Instant now) throws Exception {
        ActivePolicy active = new ActivePolicy("/etc/wirehaven/policy.acl");
        active.install(PolicyParser.parse("/etc/wirehaven/policy.acl", TEXT), TEXT, now);
        return new AclEngine(active, Clock.fixed(now, PARIS), TTL);
    }

    private static ResourceAccess access(Identity who, Protocol protocol, String address, int port) throws Exception {
        return new ResourceAccess(who, "s1", protocol, InetAddress.getByName(address), port);
    }

    @Test
    void theFirstMatchingRuleDecidesWithItsLineAsTheReason() throws Exception {
        AclEngine engine = engine(paris(12, 10, 0));
        Decision d = engine.decide(access(Identity.of("bob", "engineers"), Protocol.TCP, "10.20.0.5", 443));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals("rule git-ssh (/etc/wirehaven/policy.acl:3)", d.reason());
        assertEquals(TTL, d.timeToLive());
        Decision smtp = engine.decide(access(Identity.of("bob", "engineers"), Protocol.TCP, "192.0.2.1", 25));
        assertEquals(Verdict.DENY, smtp.verdict());
        assertEquals("rule no-smtp (/etc/wirehaven/policy.acl:6)", smtp.reason());
        Decision admin = engine.decide(access(Identity.of("root", "admins"), Protocol.TCP, "10.20.0.9", 22));
        assertEquals(Verdict.STEP_UP, admin.verdict());
        assertEquals(List.of("totp", "webauthn"), admin.stepUpMethods());
    }

    @Test
    void whatNoRuleMatchesIsNotApplicable() throws Exception {
        AclEngine engine = engine(paris(12, 10, 0));
        assertEquals(
                Decision.notApplicable(),
                engine.decide(access(Identity.of("bob", "engineers"), Protocol.TCP, "10.20.0.5", 80)));
        assertEquals(
                Decision.notApplicable(), engine.decide(access(Identity.of("eve"), Protocol.TCP, "10.20.0.5", 22)));
    }

    @Test
    void aDecisionLastsNoLongerThanTheNextWindowChange() throws Exception {
        AclEngine engine = engine(paris(12, 17, 59).plusSeconds(20));
        Decision d = engine.decide(access(Identity.of("carl", "contractors"), Protocol.TCP, "10.20.0.9", 443));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(Duration.ofSeconds(40), d.timeToLive(), "until contractors closes");
        AclEngine evening = engine(paris(12, 18, 0));
        Decision after = evening.decide(access(Identity.of("carl", "contractors"), Protocol.TCP, "10.20.0.9", 443));
        assertEquals(Verdict.DENY, after.verdict(), "office-deny, once the window is closed");
        assertEquals(TTL, after.timeToLive(), "the window opens again tomorrow at 08:00, after the usual lifetime");
        Instant halfAMinuteToEight = paris(13, 7, 59).plusSeconds(30);
        Decision early = engine(halfAMinuteToEight)
                .decide(access(Identity.of("carl", "contractors"), Protocol.TCP, "10.20.0.9", 443));
        assertEquals(Verdict.DENY, early.verdict());
        assertEquals(Duration.ofSeconds(30), early.timeToLive(), "until contractors opens");
    }

    @Test
    void rulesAreAlwaysARuleSetValidUntilTheNextWindowChange() throws Exception {
        AclEngine engine = engine(paris(12, 10, 0));
        RuleSet eve = engine.rules(Identity.of("eve"), "s1").orElseThrow();
        assertEquals(
                List.of("no-smtp", "no-smtp", "dns"),
                eve.rules().stream().map(AccessRule::name).toList());
        assertEquals(null, eve.validUntil());
        RuleSet carl = engine.rules(Identity.of("carl", "contractors"), "s1").orElseThrow();
        assertEquals(paris(12, 18, 0), carl.validUntil());
        RuleSet bob = engine.rules(Identity.of("bob", "engineers"), "s1").orElseThrow();
        assertEquals(paris(12, 22, 0), bob.validUntil(), "lab opens at 22:00");
    }

    @Test
    void withoutAPolicyEveryAnswerIsNotApplicableAndTheRuleSetIsEmpty() throws Exception {
        AclEngine engine = new AclEngine(new ActivePolicy("p"), Clock.systemUTC(), TTL);
        assertEquals(Decision.notApplicable(), engine.decide(access(Identity.of("bob"), Protocol.TCP, "10.0.0.1", 22)));
        assertEquals(
                RuleSet.of(List.of()), engine.rules(Identity.of("bob"), "s1").orElseThrow());
        assertEquals("acl", engine.name());
    }

    @Test
    void subnetAdvertisementsAreAllowedInsideAnAdvertiseLineAndOtherwiseNotApplicable() throws Exception {
        AclEngine engine = engine(paris(12, 10, 0));
        Identity branch = Identity.of("paris-office", "branches");
        Decision inside = engine.decide(new SubnetAdvertisement(branch, "s2", IpPrefix.parse("10.30.8.0/24")));
        assertEquals(Verdict.ALLOW, inside.verdict());
        assertEquals("advertise branch-lan (/etc/wirehaven/policy.acl:12)", inside.reason());
        assertEquals(
                Verdict.NOT_APPLICABLE,
                engine.decide(new SubnetAdvertisement(branch, "s2", IpPrefix.parse("10.0.0.0/8")))
                        .verdict());
        assertEquals(
                Verdict.NOT_APPLICABLE,
                engine.decide(new SubnetAdvertisement(
                                Identity.of("bob", "engineers"), "s2", IpPrefix.parse("10.30.8.0/24")))
                        .verdict());
    }

    /**
     * The server enforces rules() on packets and asks decide() for resource requests: for any identity, flow
     * and time, decide() must say what the first matching rule of rules() says.
     */
    @Test
    void decideAgreesWithTheFirstMatchingRuleOfRulesForRandomFlows() throws Exception {
        Random random = new Random(20250312L);
        List<Identity> identities = List.of(
                Identity.of("alice"),
                Identity.of("alice", "admins"),
                Identity.of("bob", "engineers"),
                Identity.of("carl", "contractors"),
                Identity.of("dora", "engineers", "contractors", "admins"),
                Identity.of("eve"));
        List<String> addresses = List.of(
                "10.20.0.5",
                "10.20.0.0",
                "10.20.0.53",
                "10.20.0.127",
                "10.20.0.128",
                "10.20.0.255",
                "10.20.1.0",
                "192.0.2.1",
                "fd00:20::1",
                "fd00:20:0:1::1",
                "2001:db8::1");
        int[] ports = {1, 21, 22, 23, 25, 53, 80, 443, 7999, 8000, 8100, 8101, 60000, 60010, 60011, 65535};
        int checked = 0;
        for (int day = 10; day <= 16; day++) {
            for (int hour : new int[] {0, 5, 7, 8, 12, 17, 18, 21, 22, 23}) {
                AclEngine engine = engine(paris(day, hour, random.nextInt(60)));
                for (int i = 0; i < 60; i++) {
                    Identity who = identities.get(random.nextInt(identities.size()));
                    Protocol protocol = Protocol.values()[random.nextInt(Protocol.values().length)];
                    int port = protocol.hasPorts() ? ports[random.nextInt(ports.length)] : 0;
                    InetAddress address = InetAddress.getByName(addresses.get(random.nextInt(addresses.size())));
                    Decision d = engine.decide(new ResourceAccess(who, "s1", protocol, address, port));
                    AccessRule first = engine.rules(who, "s1").orElseThrow().firstMatch(protocol, address, port);
                    String flow = who + " " + protocol + " " + address + ":" + port + " at day " + day + " " + hour;
                    assertEquals(first == null ? Verdict.NOT_APPLICABLE : first.verdict(), d.verdict(), flow);
                    if (first != null) {
                        assertTrue(d.reason().startsWith("rule " + first.name() + " ("), flow);
                        assertEquals(first.stepUpMethods(), d.stepUpMethods(), flow);
                    }
                    checked++;
                }
            }
        }
        assertEquals(7 * 10 * 60, checked);
    }
}
