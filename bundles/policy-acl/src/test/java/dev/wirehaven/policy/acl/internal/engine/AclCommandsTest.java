package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.policy.acl.internal.language.PolicyParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclCommandsTest {

    private static final Instant NOW = Instant.parse("2025-03-12T10:00:00Z");
    private final ActivePolicy active = new ActivePolicy("/srv/etc/policy.acl");
    private final AclCommands commands =
            new AclCommands(active, new AclEngine(active, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(1)));

    private void install() throws Exception {
        String text = """
                host git 10.20.0.5
                rule git-ssh: allow group:engineers -> git tcp/22,443
                rule late: allow * -> git tcp/80 during daily 18:00-20:00 UTC
                advertise lan: group:branches -> 10.30.0.0/16
                """;
        active.install(PolicyParser.parse("/srv/etc/policy.acl", text), text, NOW);
    }

    @Test
    void showPrintsThePolicyInForceWithItsVersionAndLines() throws Exception {
        assertTrue(commands.show().startsWith("No policy is in force"), commands.show());
        install();
        String shown = commands.show();
        assertTrue(
                shown.startsWith(
                        "Policy version 1 from /srv/etc/policy.acl, in force since 2025-03-12T10:00:00Z: 2 rule(s),"
                                + " 1 advertisement(s)."),
                shown);
        assertTrue(shown.contains("    2  rule git-ssh: allow group:engineers -> git tcp/22,443\n"), shown);
        assertTrue(shown.contains("    4  advertise lan: group:branches -> 10.30.0.0/16\n"), shown);
    }

    @Test
    void checkNamesTheRuleThatDecidesOrSaysThatNoneDoes() throws Exception {
        install();
        assertEquals(
                "bob (groups engineers), tcp/22 to 10.20.0.5: ALLOW by /srv/etc/policy.acl:2: rule git-ssh: allow"
                        + " group:engineers -> git tcp/22,443. The rules of this user change at 2025-03-12T18:00:00Z.\n",
                commands.check("bob", "engineers", "10.20.0.5", "tcp/22"));
        assertTrue(commands.check("eve", "10.20.0.5", "tcp/22")
                .contains("no rule matches, so acl answers NOT_APPLICABLE"));
        assertThrows(IllegalArgumentException.class, () -> commands.check("eve", "git.example.com", "tcp/22"));
        assertThrows(IllegalArgumentException.class, () -> commands.check("eve", "10.20.0.5", "tcp"));
        assertThrows(IllegalArgumentException.class, () -> commands.check("eve", "10.20.0.5", "sctp/1"));
    }

    @Test
    void errorsShowsWhyTheFileAsItIsNowIsNotInForce() throws Exception {
        install();
        assertTrue(commands.errors().startsWith("No problem"), commands.errors());
        active.reject(new ActivePolicy.Rejection(
                NOW, List.of("/srv/etc/policy.acl:3: zone: 'X' is not a time zone; ..."), List.of()));
        assertTrue(
                commands.errors().contains("version 1 stays in force:\n/srv/etc/policy.acl:3: zone:"),
                commands.errors());
        assertTrue(commands.show().contains("see acl:errors"));
    }
}
