package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordGuessingDetectorTest {

    private final Fixture f = new Fixture();

    private PasswordGuessingDetector detector(Map<String, Object> config) {
        return new PasswordGuessingDetector(
                f.reporter, TypedConfig.of(PasswordGuessingDetector.Config.class, config), f.clock);
    }

    private void fail(PasswordGuessingDetector d, int times, String user, String source) {
        for (int i = 0; i < times; i++) {
            d.securityEvent(f.authFailure(user, source));
        }
    }

    @Test
    void nineFailuresFromOneSourceAreNoFindingTheTenthBlocksTheSourceForFifteenMinutes() {
        PasswordGuessingDetector d = detector(Map.of());
        for (int i = 0; i < 9; i++) {
            d.securityEvent(f.authFailure("user" + i, "192.0.2.7"));
        }
        assertTrue(f.events.reported.isEmpty());

        d.securityEvent(f.authFailure("root", "192.0.2.7"));

        assertEquals(1, f.events.reported.size());
        SecurityEvent e = f.events.reported.get(0);
        assertEquals(SecurityEvent.THREAT_PASSWORD_GUESSING, e.type());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals(Fixture.address("192.0.2.7"), e.source());
        assertTrue(e.detail().startsWith("10 failed logins from 192.0.2.7"), e.detail());
        ResponseRequest r = f.responses.requests.get(0);
        assertEquals(ResponseAction.BLOCK_SOURCE, r.action());
        assertEquals("192.0.2.7", r.target());
        assertEquals(Duration.ofMinutes(15), r.duration());
        assertEquals("detector password-guessing", r.requestedBy());
        assertEquals(e.detail(), r.reason());
    }

    @Test
    void anAttackThatResumesAfterTheOperatorUndidTheBlockIsAnsweredAgain() {
        PasswordGuessingDetector d = detector(Map.of());
        fail(d, 10, "", "192.0.2.7");
        assertEquals(1, f.events.reported.size());
        fail(d, 10, "", "192.0.2.7"); // answered already: quiet
        assertEquals(1, f.events.reported.size());

        d.securityEvent(new SecurityEvent(
                SecurityEvent.RESPONSE_ENDED,
                Severity.INFO,
                f.clock.instant(),
                "",
                Fixture.address("192.0.2.7"),
                "response r1 undone by an operator: BLOCK_SOURCE 192.0.2.7/32"));
        fail(d, 9, "", "192.0.2.7");
        assertEquals(1, f.events.reported.size(), "counted afresh from the undo");
        fail(d, 1, "", "192.0.2.7");

        assertEquals(2, f.events.reported.size());
        assertEquals(2, f.responses.requests.size());
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        PasswordGuessingDetector d = detector(Map.of());
        fail(d, 5, "alice", "192.0.2.7");
        f.clock.advance(Duration.ofMinutes(3));
        fail(d, 4, "alice", "192.0.2.7");
        f.clock.advance(Duration.ofMinutes(2)); // the first five are now 5 minutes old: out of the window
        fail(d, 1, "alice", "192.0.2.7");
        assertTrue(f.events.reported.isEmpty());

        fail(d, 5, "alice", "192.0.2.7"); // 4 + 1 + 5 within the window
        assertEquals(1, f.events.reported.size());
    }

    @Test
    void anAttackThatGoesOnIsReportedOnceWhileTheBlockIsInForce() {
        PasswordGuessingDetector d = detector(Map.of());
        fail(d, 10, "", "192.0.2.7");
        for (int minute = 0; minute < 14; minute++) {
            f.clock.advance(Duration.ofMinutes(1));
            fail(d, 50, "", "192.0.2.7");
        }
        assertEquals(1, f.events.reported.size());

        f.clock.advance(Duration.ofMinutes(1)); // the block of 15 minutes is over: a new finding may come
        fail(d, 10, "", "192.0.2.7");
        assertEquals(2, f.events.reported.size());
    }

    @Test
    void manySourcesGuessingOneUserRaiseAnAlertForTheUserNotABlock() {
        PasswordGuessingDetector d = detector(Map.of());
        for (int i = 0; i < 19; i++) {
            d.securityEvent(f.authFailure("alice", "198.51.100." + i));
        }
        assertTrue(f.events.reported.isEmpty());

        d.securityEvent(f.authFailure("alice", "198.51.100.99"));

        assertEquals(1, f.events.reported.size());
        SecurityEvent e = f.events.reported.get(0);
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals("alice", e.user());
        ResponseRequest r = f.responses.requests.get(0);
        assertEquals(ResponseAction.ALERT, r.action());
        assertEquals("alice", r.target());

        for (int i = 0; i < 40; i++) {
            d.securityEvent(f.authFailure("alice", "203.0.113." + i));
        }
        assertEquals(1, f.events.reported.size(), "no repeat within the window");
    }

    @Test
    void aFailureWithoutSourceCountsForTheUserOnly() {
        PasswordGuessingDetector d = detector(Map.of("user_threshold", 3L));
        fail(d, 3, "bob", null);
        assertEquals(1, f.events.reported.size());
        assertEquals(null, f.events.reported.get(0).source());
        assertEquals("bob", f.responses.requests.get(0).target());
    }

    @Test
    void otherEventsAndADisabledDetectorFindNothing() {
        PasswordGuessingDetector d = detector(Map.of("enabled", false));
        fail(d, 100, "alice", "192.0.2.7");
        PasswordGuessingDetector other = detector(Map.of());
        for (int i = 0; i < 100; i++) {
            other.securityEvent(new SecurityEvent(
                    SecurityEvent.ACCESS_DENIED,
                    Severity.LOW,
                    f.clock.instant(),
                    "alice",
                    Fixture.address("192.0.2.7"),
                    "denied"));
        }
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void trackedSourcesStayBoundedTheStalestForgotten() {
        PasswordGuessingDetector d = detector(Map.of("max_tracked_keys", 100, "source_threshold", 2L));
        d.securityEvent(f.authFailure("", "10.0.0.1"));
        for (int i = 0; i < 1000; i++) {
            d.securityEvent(f.authFailure("", "10.1." + (i / 250) + "." + (i % 250)));
        }
        assertEquals(100, d.trackedKeys());

        d.securityEvent(f.authFailure("", "10.0.0.1")); // its first failure was forgotten
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void aBadValueIsRefusedAndTheLastGoodConfigurationKept() {
        PasswordGuessingDetector d = detector(Map.of("source_threshold", 3L));
        assertFalse(d.configure(TypedConfig.of(
                PasswordGuessingDetector.Config.class, Map.of("source_threshold", 1L, "window", "five minutes"))));
        assertTrue(
                d.describe()
                        .contains(
                                "Configuration dev.wirehaven.threats.password.guessing: window = 'five minutes' is refused"),
                d.describe());

        fail(d, 2, "", "192.0.2.7");
        assertTrue(f.events.reported.isEmpty(), "the threshold of 1 was not taken");
        fail(d, 1, "", "192.0.2.7");
        assertEquals(1, f.events.reported.size(), "the threshold of 3 is still in force");
    }

    @Test
    void aResponseWithoutATargetForTheFindingIsRefused() {
        PasswordGuessingDetector d = detector(Map.of("source_response", "DISABLE_USER"));
        assertTrue(d.describe().contains("source.response = 'DISABLE_USER' is refused"), d.describe());
        fail(d, 10, "", "192.0.2.7");
        assertEquals(ResponseAction.BLOCK_SOURCE, f.responses.requests.get(0).action(), "the defaults run");
    }

    @Test
    void aUserNameWithControlCharactersIsDefusedInTheDetail() {
        PasswordGuessingDetector d = detector(Map.of("user_threshold", 1L));
        d.securityEvent(f.authFailure("eve\nFAKE LOG LINE", null));
        assertEquals(
                "1 failed logins for user 'eve?FAKE LOG LINE' within PT5M",
                f.events.reported.get(0).detail());
    }

    @Test
    void componentPropertiesOfTheWrongTypeAreRefusedAndStringsThatAreNumbersTaken() {
        PasswordGuessingDetector d = detector(Map.of());
        assertFalse(d.configure(Map.of("source.threshold", "ten")));
        assertTrue(d.describe().contains("source.threshold = 'ten' is refused: give a whole number"), d.describe());
        assertFalse(d.configure(Map.of("enabled", "yes")));
        assertTrue(d.describe().contains("enabled = 'yes' is refused: give true or false"), d.describe());

        assertTrue(d.configure(Map.of("source.threshold", " 2 ", "enabled", "TRUE", "max.tracked.keys", 500L)));
        assertFalse(d.describe().contains("REFUSED"), d.describe());
        fail(d, 2, "", "192.0.2.7");
        assertEquals(1, f.events.reported.size());
    }
}
