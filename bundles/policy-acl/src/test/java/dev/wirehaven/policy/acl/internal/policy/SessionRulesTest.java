package dev.wirehaven.policy.acl.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.language.PolicyParser;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRulesTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** A Wednesday, 10:00 in Paris. */
    private static final Instant WEDNESDAY_10 =
            ZonedDateTime.of(2025, 3, 12, 10, 0, 0, 0, PARIS).toInstant();

    private static final String TEXT = """
            host git 10.20.0.5
            network office 10.20.0.0/24, fd00:20::/64
            rule git-ssh: allow group:engineers -> git tcp/22,443
            rule wiki: allow user:alice -> office tcp/80
            rule admin-ssh: step-up totp group:admins -> office tcp/22
            rule no-smtp: deny * -> * tcp/25
            rule contractors: allow group:contractors -> office tcp/443 during Mon-Fri 08:00-18:00
            rule weekend: allow group:contractors -> office tcp/80 during Sat-Sun 00:00-24:00
            """;

    private static Policy policy() throws Exception {
        return PolicyParser.parse("policy.acl", TEXT);
    }

    private static SessionRules rules(Identity who, Instant at) throws Exception {
        return SessionRules.of(policy(), who, at, PARIS);
    }

    private static List<String> names(SessionRules rules) {
        return rules.entries().stream().map(e -> e.rule().name()).toList();
    }

    @Test
    void aSessionGetsTheRulesOfItsUserItsGroupsAndEveryoneInFileOrder() throws Exception {
        assertEquals(
                List.of("git-ssh", "git-ssh", "no-smtp", "no-smtp"),
                names(rules(Identity.of("bob", "engineers"), WEDNESDAY_10)));
        assertEquals(
                List.of("wiki", "wiki", "admin-ssh", "admin-ssh", "no-smtp", "no-smtp"),
                names(rules(Identity.of("alice", "admins"), WEDNESDAY_10)));
        assertEquals(List.of("no-smtp", "no-smtp"), names(rules(Identity.of("eve"), WEDNESDAY_10)));
    }

    @Test
    void eachPrefixAndPortRangeIsOneDataPlaneRuleWithTheLinesName() throws Exception {
        List<AccessRule> git =
                rules(Identity.of("bob", "engineers"), WEDNESDAY_10).toRuleSet().rules();
        assertEquals(
                new AccessRule(
                        "git-ssh", Verdict.ALLOW, IpPrefix.parse("10.20.0.5/32"), Protocol.TCP, 22, 22, List.of()),
                git.get(0));
        assertEquals(443, git.get(1).firstPort());
        assertEquals(IpPrefix.parse("0.0.0.0/0"), git.get(2).destination());
        assertEquals(IpPrefix.parse("::/0"), git.get(3).destination());
        List<AccessRule> alice =
                rules(Identity.of("alice", "admins"), WEDNESDAY_10).toRuleSet().rules();
        assertEquals(IpPrefix.parse("fd00:20::/64"), alice.get(1).destination());
        assertEquals(Verdict.STEP_UP, alice.get(2).verdict());
        assertEquals(List.of("totp"), alice.get(2).stepUpMethods());
    }

    @Test
    void theFirstMatchingRuleDecides() throws Exception {
        SessionRules r = rules(Identity.of("alice", "admins"), WEDNESDAY_10);
        InetAddress office = InetAddress.getByName("10.20.0.9");
        assertEquals(
                "admin-ssh",
                r.firstMatch(Protocol.TCP, office, 22).orElseThrow().rule().name());
        assertEquals(
                "wiki",
                r.firstMatch(Protocol.TCP, office, 80).orElseThrow().rule().name());
        assertEquals(
                "no-smtp",
                r.firstMatch(Protocol.TCP, office, 25).orElseThrow().rule().name());
        assertTrue(r.firstMatch(Protocol.UDP, office, 53).isEmpty());
    }

    @Test
    void rulesWithAClosedWindowAreLeftOutAndTheSetLastsUntilTheNextChange() throws Exception {
        Identity contractor = Identity.of("carl", "contractors");
        SessionRules weekday = rules(contractor, WEDNESDAY_10);
        assertEquals(List.of("no-smtp", "no-smtp", "contractors", "contractors"), names(weekday));
        assertEquals(ZonedDateTime.of(2025, 3, 12, 18, 0, 0, 0, PARIS).toInstant(), weekday.validUntil());
        Instant evening = ZonedDateTime.of(2025, 3, 12, 19, 0, 0, 0, PARIS).toInstant();
        SessionRules night = rules(contractor, evening);
        assertEquals(List.of("no-smtp", "no-smtp"), names(night));
        assertEquals(ZonedDateTime.of(2025, 3, 13, 8, 0, 0, 0, PARIS).toInstant(), night.validUntil());
        Instant saturday = ZonedDateTime.of(2025, 3, 15, 12, 0, 0, 0, PARIS).toInstant();
        SessionRules weekend = rules(contractor, saturday);
        assertEquals(List.of("no-smtp", "no-smtp", "weekend", "weekend"), names(weekend));
        assertEquals(ZonedDateTime.of(2025, 3, 17, 0, 0, 0, 0, PARIS).toInstant(), weekend.validUntil());
    }

    @Test
    void rulesWithoutWindowsHoldUntilThePolicyChanges() throws Exception {
        assertNull(rules(Identity.of("bob", "engineers"), WEDNESDAY_10).validUntil());
    }

    @Test
    void anAdvertisementCoversOnlySubnetsWhollyInsideItsPrefixes() throws Exception {
        Policy p = PolicyParser.parse("p", "advertise lan: group:branches -> 10.30.0.0/16, fd00:30::/48\n");
        Identity branch = Identity.of("paris", "branches");
        assertTrue(
                p.advertisementCovering(branch, IpPrefix.parse("10.30.4.0/24")).isPresent());
        assertTrue(
                p.advertisementCovering(branch, IpPrefix.parse("10.30.0.0/16")).isPresent());
        assertTrue(p.advertisementCovering(branch, IpPrefix.parse("fd00:30:0:1::/64"))
                .isPresent());
        assertTrue(
                p.advertisementCovering(branch, IpPrefix.parse("10.30.0.0/15")).isEmpty(), "wider");
        assertTrue(
                p.advertisementCovering(branch, IpPrefix.parse("10.31.0.0/24")).isEmpty(), "outside");
        assertTrue(
                p.advertisementCovering(Identity.of("eve"), IpPrefix.parse("10.30.4.0/24"))
                        .isEmpty(),
                "not a branch");
    }
}
