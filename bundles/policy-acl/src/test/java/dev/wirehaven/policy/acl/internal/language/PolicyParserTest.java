package dev.wirehaven.policy.acl.internal.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import dev.wirehaven.policy.acl.internal.policy.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

    private static final String DEFINITIONS = """
            host git 10.20.0.5
            network office 10.20.0.0/24
            """;

    private static Policy parse(String text) throws InvalidPolicyException {
        return PolicyParser.parse("policy.acl", text);
    }

    private static List<String> errors(String text) {
        return assertThrows(InvalidPolicyException.class, () -> parse(text)).errors().stream()
                .map(PolicyError::toString)
                .toList();
    }

    /** The one error of {@code text}. */
    private static String error(String text) {
        List<String> errors = errors(text);
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        String text = Files.readString(Path.of("policy.acl.example"), StandardCharsets.UTF_8);
        Policy p = parse(text);
        assertEquals(9, p.rules().size());
        assertEquals(1, p.advertisements().size());
        Rule wiki = p.rules().get(1);
        assertEquals("wiki", wiki.name());
        assertEquals(List.of("engineers", "Support Team"), wiki.who().groups());
        assertEquals(List.of("alice"), wiki.who().users());
        assertEquals(2, wiki.where().get(0).prefixes().size(), "wiki has an IPv4 and an IPv6 address");
        Rule builds = p.rules().get(2);
        assertEquals(
                List.of(new Service(Protocol.TCP, 8000, 8100), new Service(Protocol.UDP, 60000, 61000)),
                builds.services());
        Rule hours = p.rules().get(6);
        assertEquals(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                hours.window().days());
        assertEquals(LocalTime.of(8, 0), hours.window().start());
        assertEquals(ZoneId.of("Europe/Paris"), hours.window().zone());
        Rule adminSsh = p.rules().get(4);
        assertEquals(Verdict.STEP_UP, adminSsh.action().verdict());
        assertEquals(List.of("totp"), adminSsh.action().stepUpMethods());
        assertEquals(List.of(Service.ANY), p.rules().get(8).services());
    }

    @Test
    void aRuleReadsAsWritten() throws Exception {
        Policy p = parse(DEFINITIONS + """
                rule git-ssh: allow group:engineers -> git tcp/22,443 udp/53
                rule ops: step-up totp,webauthn user:bob,group:ops -> office,10.9.0.0/16 tcp during Sat,Sun 10:00-14:00
                """);
        Rule git = p.rules().get(0);
        assertEquals(3, git.line());
        assertEquals(
                List.of(
                        new Service(Protocol.TCP, 22, 22),
                        new Service(Protocol.TCP, 443, 443),
                        new Service(Protocol.UDP, 53, 53)),
                git.services());
        assertEquals(List.of(IpPrefix.parse("10.20.0.5/32")), git.where().get(0).prefixes());
        Rule ops = p.rules().get(1);
        assertEquals(List.of("totp", "webauthn"), ops.action().stepUpMethods());
        assertEquals(List.of("bob"), ops.who().users());
        assertEquals(List.of("ops"), ops.who().groups());
        assertEquals(2, ops.where().size());
        assertEquals(List.of(new Service(Protocol.TCP, 0, 0)), ops.services());
        assertEquals(
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), ops.window().days());
        assertEquals(null, ops.window().zone());
        // printing gives the file's own syntax back, which parses to the same rules
        Policy again = parse(DEFINITIONS + git + "\n" + ops + "\n");
        assertEquals(p.rules().get(1).toString(), again.rules().get(1).toString());
    }

    @Test
    void blanksAroundCommasCommentsQuotesAndWrappedListsAreAllowed() throws Exception {
        Policy p = parse("""
                # a comment
                network lans 10.1.0.0/16 ,
                     10.2.0.0/16,   # wrapped after a comma
                     10.3.0.0/16
                rule r1 : allow group:"Domain Users" , user:"o'neil#1" -> lans tcp / 22
                """.replace("tcp / 22", "tcp/22"));
        assertEquals(3, p.rules().get(0).where().get(0).prefixes().size());
        assertEquals(List.of("Domain Users"), p.rules().get(0).who().groups());
        assertEquals(List.of("o'neil#1"), p.rules().get(0).who().users());
        assertEquals(5, p.rules().get(0).line());
    }

    @Test
    void namesMayBeUsedBeforeTheirDefinitionInRulesButNotInNetworks() throws Exception {
        Policy p = parse("rule r: allow * -> later\nhost later 10.0.0.1\n");
        assertEquals(1, p.rules().size());
        assertEquals(
                "policy.acl:1: network all: 'later' is defined below, at line 2; a network can only use names"
                        + " defined above it; move the definition of later above line 1",
                error("network all later\nhost later 10.0.0.1\n"));
    }

    @Test
    void anEmptyFileIsAPolicyWithoutRules() throws Exception {
        Policy p = parse("# nothing yet\n\n");
        assertTrue(p.rules().isEmpty());
        assertTrue(p.advertisements().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            unknown name      | rule r: allow * -> gti tcp/22                      | where: unknown name 'gti'; define it with 'host gti ADDRESS'
            bad prefix        | rule r: allow * -> 10.0.0.0/33                     | where: '10.0.0.0/33' is not an IP address or prefix; write an address
            host bits         | rule r: allow * -> 10.20.0.5/24                    | where: '10.20.0.5/24' has host bits set; write 10.20.0.0/24 for the network, or 10.20.0.5 for the one host
            bad port          | rule r: allow * -> git tcp/70000                   | ports: 'tcp/70000' is outside 1-65535; use ports from 1 to 65535
            port zero         | rule r: allow * -> git tcp/0                       | ports: 'tcp/0' is outside 1-65535
            backwards range   | rule r: allow * -> git tcp/90-80                   | ports: the range 'tcp/90-80' runs backwards; write the lower port first: 80-90
            not a port        | rule r: allow * -> git tcp/ssh                     | ports: 'tcp/ssh' is not a port or a port range
            port without protocol | rule r: allow * -> git 443                     | ports: port 443 has no protocol; write tcp/443 or udp/443
            icmp with port    | rule r: allow * -> git icmp/8                      | ports: icmp has no ports; write icmp alone
            unknown protocol  | rule r: allow * -> git sctp/9                      | protocol: 'sctp' is not a protocol here; use tcp, udp, icmp or any
            unknown keyword   | rulez r: allow * -> git                            | keyword: 'rulez' is not a keyword; start each line with host, network, rule or advertise
            unknown action    | rule r: permit * -> git                            | action: 'permit' is not an action; use allow, deny or step-up METHOD
            step-up no method | rule r: step-up group:admins -> git                | step-up: no method is given; name the auth method of the extra factor
            bad method        | rule r: step-up TOTP group:admins -> git           | step-up: 'TOTP' is not an auth method name
            bad who           | rule r: allow alice -> git                         | who: 'alice' is not a user, a group or everyone; write user:NAME, group:NAME or *
            nobody            | rule r: allow -> git                               | who: nobody is named
            no arrow          | rule r: allow * git                                | rule r: there is no '->' between who and where
            nothing after arrow | rule r: allow * ->                               | where: nothing is named after '->'
            bad rule name     | rule git/ssh: allow * -> git                       | rule name: 'git/ssh' is not a rule name; use 1 to 64 letters, digits or . _ : -
            long rule name    | rule aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: allow * -> git | rule name: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a rule name
            no colon          | rule r allow * -> git                              | rule name: 'r' is not followed by ':'
            no name           | rule allow * -> git                                | rule name: the rule has no name
            days              | rule r: allow * -> git during Mun-Fri 08:00-18:00  | days: 'Mun-Fri' is not a day or a range of days
            hours             | rule r: allow * -> git during Mon 8-18             | hours: '8-18' is not a range of hours; write the hours as HH:MM-HH:MM
            hour 25           | rule r: allow * -> git during Mon 08:00-25:00      | hours: '08:00-25:00' has a time that does not exist
            empty window      | rule r: allow * -> git during Mon 08:00-08:00      | hours: '08:00-08:00' starts and ends at the same time; write 00:00-24:00 for the whole day
            no hours          | rule r: allow * -> git during Mon                  | during: 'during' needs days and hours
            unknown zone      | rule r: allow * -> git during Mon 08:00-18:00 Europe/Pariss | zone: 'Europe/Pariss' is not a time zone; write a tz database name such as Europe/Paris
            two windows       | rule r: allow * -> git during Mon 08:00-18:00 UTC Tue | during: unexpected 'Tue' after the zone
            empty list entry  | rule r: allow group:a,,group:b -> git              | list: a list has an empty entry
            unclosed quote    | rule r: allow group:"a -> git                      | quotes: a quote (\") is opened but not closed on this line
            host with prefix  | host h 10.0.0.0/24                                 | host h: '10.0.0.0/24' is a network, not one address
            bad host name     | host 1git 10.0.0.1                                 | host name: '1git' is not a name
            host no address   | host h                                             | host h: no address is given
            advertise bad     | advertise b: group:branches -> 10.30.0.0/16 tcp/22 | subnets: unexpected 'tcp/22' after the subnets
            """)
    void eachMistakeNamesItsLineAndField(String kind, String line, String expected) {
        String e = error(DEFINITIONS + "\n" + line + "\n");
        String prefix = "policy.acl:4: ";
        assertTrue(e.startsWith(prefix + expected), kind + ": " + e);
    }

    @Test
    void duplicateNamesAreReportedAtTheSecondUse() {
        assertEquals(
                "policy.acl:4: rule name: 'r' is already used at line 3; give each rule its own name",
                error(DEFINITIONS + "rule r: allow * -> git\nrule r: deny * -> git\n"));
        assertEquals(
                "policy.acl:3: network name: 'git' is already used at line 1; give each network its own name",
                error(DEFINITIONS + "network git 10.0.0.0/8\n"));
        assertTrue(error(DEFINITIONS + "rule r: allow * -> git\nadvertise r: * -> 10.0.0.0/8\n")
                .startsWith("policy.acl:4: rule name: 'r' is already used at line 3"));
    }

    @Test
    void everyMistakeOfTheFileIsReportedInLineOrder() {
        List<String> errors = errors("""
                host git 10.20.0.5
                network office 10.20.0.0/33
                rule a: allow group:eng -> git tcp/99999
                rule b: allow * -> office
                frobnicate
                rule c: deny * -> git tcp/22 during Mon 08:00-18:00 Mars/Olympus
                """);
        assertEquals(5, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).startsWith("policy.acl:2: network office: '10.20.0.0/33'"), errors.get(0));
        assertTrue(errors.get(1).startsWith("policy.acl:3: ports: "), errors.get(1));
        assertTrue(
                errors.get(2).startsWith("policy.acl:4: where: the definition of 'office' at line 2 has a mistake"),
                errors.get(2));
        assertTrue(errors.get(3).startsWith("policy.acl:5: keyword: 'frobnicate'"), errors.get(3));
        assertTrue(errors.get(4).startsWith("policy.acl:6: zone: 'Mars/Olympus'"), errors.get(4));
    }

    @Test
    void severalMistakesOnOneLineAreAllReported() {
        List<String> errors = errors(DEFINITIONS + "rule r: allow bob -> nowhere tcp/0 during Someday 8 X/Y\n");
        assertEquals(6, errors.size(), String.join("\n", errors));
        List<String> fields = errors.stream().map(e -> e.split(": ")[1]).toList();
        assertEquals(List.of("who", "where", "ports", "days", "hours", "zone"), fields);
    }

    @Test
    void aPolicyThatExpandsBeyondWhatOneRuleSetHoldsIsRefused() {
        StringBuilder text = new StringBuilder("network many ");
        for (int i = 0; i < 200; i++) {
            text.append(i == 0 ? "" : ",").append("10.").append(i).append(".0.0/16");
        }
        text.append('\n');
        text.append("rule big: allow * -> many ");
        for (int p = 1; p <= 60; p++) {
            text.append(p == 1 ? "tcp/" : ",").append(p * 2);
        }
        text.append('\n');
        String e = error(text.toString());
        assertTrue(e.startsWith("policy.acl:2: rule big: with this rule the policy makes more than 10000"), e);
    }
}
