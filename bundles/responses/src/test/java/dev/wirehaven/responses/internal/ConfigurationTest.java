package dev.wirehaven.responses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private static final Map<String, Object> PROPERTIES = Map.of("service.pid", SecurityResponsesComponent.PID);

    private final TestDatabase db = TestDatabase.empty();
    private final RecordingEvents events = new RecordingEvents();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private SecurityResponsesComponent component(TestConfig config) {
        return new SecurityResponsesComponent(db.dataSource(), events, config, PROPERTIES);
    }

    @Test
    void theDefaultsAllowTheLoopbackForSevenDaysWithTotp() {
        ResponseSettings s = ResponseSettings.defaults();

        assertEquals(List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1")), s.allowedSources());
        assertEquals(Set.of(), s.allowedUsers());
        assertEquals(Duration.ofDays(7), s.maxDuration());
        assertEquals(List.of("totp"), s.stepUpMethods());
    }

    @Test
    void theMetatypeDefaultsAreTheDefaultsInForceWithoutAConfiguration() throws ReflectiveOperationException {
        Class<SecurityResponsesComponent.Config> c = SecurityResponsesComponent.Config.class;
        ResponseSettings declared = ResponseSettings.read(
                (String[]) c.getMethod("allowList").getDefaultValue(),
                (String) c.getMethod("maxDuration").getDefaultValue(),
                (String[]) c.getMethod("stepUpMethods").getDefaultValue());

        assertEquals(ResponseSettings.defaults(), declared);
    }

    @Test
    void aCfgLineWithCommasIsReadAsItsEntries() {
        ResponseSettings s =
                ResponseSettings.read(new String[] {"10.0.0.0/8, 192.0.2.7 user:alice"}, "12h", new String[] {"totp"});

        assertEquals(List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("192.0.2.7/32")), s.allowedSources());
        assertEquals(Set.of("alice"), s.allowedUsers());
        assertEquals(Duration.ofHours(12), s.maxDuration());
    }

    @Test
    void eachBadValueIsNamedWithItsKeyAndItsFix() {
        String[] ok = {"totp"};
        assertMessage(() -> ResponseSettings.read(new String[] {"10.0.0.0/33"}, "7d", ok), "allowList '10.0.0.0/33'");
        assertMessage(() -> ResponseSettings.read(new String[] {"office"}, "7d", ok), "allowList 'office'");
        assertMessage(() -> ResponseSettings.read(new String[] {"user:"}, "7d", ok), "user:alice");
        assertMessage(() -> ResponseSettings.read(new String[0], "a week", ok), "maxDuration 'a week'");
        assertMessage(() -> ResponseSettings.read(new String[0], "0s", ok), "maxDuration '0s'");
        assertMessage(() -> ResponseSettings.read(new String[0], "7d", new String[0]), "stepUpMethods");
        assertMessage(
                () -> ResponseSettings.read(new String[0], "7d", new String[] {"TOTP!"}), "stepUpMethods 'TOTP!'");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable read, String part) {
        ResponseConfigException e = assertThrows(ResponseConfigException.class, read);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aBadConfigurationIsRefusedWithOneErrorLineAndTheLastGoodOneStays() {
        SecurityResponsesComponent c =
                component(new TestConfig(new String[] {"10.0.0.0/8"}, "1d", new String[] {"webauthn"}));
        try (LogCapture log = new LogCapture(SecurityResponsesComponent.class)) {
            ResponseSettings good = c.settings();

            c.modified(
                    new TestConfig(new String[] {"10.0.0.0/8", "10.0.0.256"}, "2d", new String[] {"totp"}), PROPERTIES);

            assertEquals(good, c.settings());
            List<String> errors =
                    log.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
            assertEquals(1, errors.size(), log.lines().toString());
            String line = errors.get(0);
            for (String part :
                    List.of(SecurityResponsesComponent.PID, "allowList", "10.0.0.256", "prefix (10.0.0.0/8")) {
                assertTrue(line.contains(part), part + " in " + line);
            }

            c.modified(new TestConfig(new String[] {"192.0.2.0/24"}, "2d", new String[] {"totp"}), PROPERTIES);

            assertEquals(List.of(IpPrefix.parse("192.0.2.0/24")), c.settings().allowedSources());
            assertEquals(Duration.ofDays(2), c.settings().maxDuration());
        } finally {
            c.deactivate();
        }
    }

    @Test
    void aBadConfigurationAtTheStartLeavesTheDefaultsInForce() {
        SecurityResponsesComponent c =
                component(new TestConfig(new String[] {"127.0.0.1"}, "forever", new String[] {"totp"}));
        try {
            assertEquals(ResponseSettings.defaults(), c.settings());
        } finally {
            c.deactivate();
        }
    }

    @Test
    void theComponentCreatesItsTableAndServes() {
        SecurityResponsesComponent c =
                component(new TestConfig(new String[] {"127.0.0.1"}, "7d", new String[] {"totp"}));
        try {
            c.apply(Fixture.block("192.0.2.7", Duration.ofHours(1)));
            assertTrue(c.isBlocked(Fixture.ip("192.0.2.7")));
            assertEquals(1, new ResponseStore(db.dataSource()).active().size(), "written to the new table");
        } finally {
            c.deactivate();
        }
    }
}
