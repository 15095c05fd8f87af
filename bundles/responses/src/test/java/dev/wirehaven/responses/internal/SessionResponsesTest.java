package dev.wirehaven.responses.internal;

import static dev.wirehaven.responses.internal.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponse.State;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionResponsesTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final Fixture f = new Fixture();
    private final ResponseLedger ledger = f.ledger(ResponseSettings.read(
            new String[] {"127.0.0.1, 10.0.0.0/8", "user:root"}, "7d", new String[] {"totp", "webauthn"}));

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void revokeEndsTheSession() {
        f.sessions.open("s1", "alice");

        SecurityResponse r = ledger.apply(request(ResponseAction.REVOKE_SESSION, "s1", HOUR));

        assertEquals(State.DONE, r.state());
        assertEquals(List.of("s1"), f.sessions.revoked);
        assertTrue(r.note().contains("alice"), r.note());
        assertEquals(SecurityEvent.RESPONSE_APPLIED, f.events.last().type());
        assertTrue(ledger.active().isEmpty(), "a revoke is not lasting");
    }

    @Test
    void revokeOfNoOpenSessionIsRefused() {
        SecurityResponse r = ledger.apply(request(ResponseAction.REVOKE_SESSION, "s404", HOUR));

        assertEquals(State.REFUSED, r.state());
        assertTrue(r.note().contains("no open session"), r.note());
        assertEquals(SecurityEvent.RESPONSE_REFUSED, f.events.last().type());
    }

    @Test
    void revokeOfAnAllowListedUsersSessionIsRefused() {
        f.sessions.open("s1", "root");

        SecurityResponse r = ledger.apply(request(ResponseAction.REVOKE_SESSION, "s1", HOUR));

        assertEquals(State.REFUSED, r.state());
        assertTrue(r.note().contains("allow-list"), r.note());
        assertTrue(f.sessions.isOpen("s1"));
    }

    @Test
    void revokeOfASessionFromAnAllowListedSourceIsRefused() {
        f.sessions.open("s1", "alice");
        f.sessions.from("s1", new InetSocketAddress(Fixture.ip("10.9.8.7"), 51820));

        SecurityResponse r = ledger.apply(request(ResponseAction.REVOKE_SESSION, "s1", HOUR));

        assertEquals(State.REFUSED, r.state());
        assertTrue(r.note().contains("10.0.0.0/8"), r.note());
        assertTrue(f.sessions.isOpen("s1"));
    }

    @Test
    void stepUpAsksEveryOpenSessionOfTheUserForTheConfiguredMethods() {
        f.sessions.open("s1", "alice");
        f.sessions.open("s2", "bob");
        f.sessions.open("s3", "alice");

        SecurityResponse r = ledger.apply(request(ResponseAction.REQUIRE_STEP_UP, "alice", HOUR));

        assertEquals(State.DONE, r.state());
        assertEquals("2 sessions asked", r.note());
        assertEquals(List.of("s1", "s3"), f.sessions.steppedUp);
        assertEquals(List.of("totp", "webauthn"), f.sessions.stepUpMethods.get(0));
        assertEquals("alice", f.events.last().user());
    }

    @Test
    void stepUpOfAnAllowListedUserIsRefused() {
        f.sessions.open("s1", "root");

        SecurityResponse r = ledger.apply(request(ResponseAction.REQUIRE_STEP_UP, "root", HOUR));

        assertEquals(State.REFUSED, r.state());
        assertTrue(f.sessions.steppedUp.isEmpty());
    }

    @Test
    void disableRevokesTheUsersSessionsAndRefusesThemUntilItEnds() {
        f.sessions.open("s1", "alice");
        f.sessions.open("s2", "alice");
        f.sessions.open("s3", "bob");

        SecurityResponse r = ledger.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(2)));

        assertEquals(State.ACTIVE, r.state());
        assertTrue(r.note().contains("2 sessions revoked"), r.note());
        assertEquals(List.of("s1", "s2"), f.sessions.revoked);
        assertTrue(ledger.isDisabled("alice"));
        assertFalse(ledger.isDisabled("bob"));
        assertFalse(ledger.isDisabled("Alice"), "user names are case-sensitive");
        SecurityEvent e = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_APPLIED, e.type());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals("alice", e.user());
        assertEquals(1, f.events.ofType(SecurityEvent.RESPONSE_APPLIED).size(), "reported once, with its note");

        f.clock.advance(Duration.ofHours(2));
        assertFalse(ledger.isDisabled("alice"), "at its end, before the expiry task runs");
        ledger.tick();
        assertEquals(SecurityEvent.RESPONSE_ENDED, f.events.last().type());
    }

    @Test
    void disableOfAnAllowListedUserIsRefused() {
        f.sessions.open("s1", "root");

        SecurityResponse r = ledger.apply(request(ResponseAction.DISABLE_USER, "root", HOUR));

        assertEquals(State.REFUSED, r.state());
        assertFalse(ledger.isDisabled("root"));
        assertTrue(f.sessions.isOpen("s1"));
    }

    @Test
    void withoutTheSessionLayerRevokeAndStepUpAreRefused() {
        f.sessionLayerRunning = false;

        SecurityResponse revoke = ledger.apply(request(ResponseAction.REVOKE_SESSION, "s1", HOUR));
        SecurityResponse stepUp = ledger.apply(request(ResponseAction.REQUIRE_STEP_UP, "alice", HOUR));

        assertEquals(State.REFUSED, revoke.state());
        assertEquals(SessionLayer.NOT_RUNNING, revoke.note());
        assertEquals(State.REFUSED, stepUp.state());
        assertEquals(SessionLayer.NOT_RUNNING, stepUp.note());
    }

    @Test
    void withoutTheSessionLayerADisableStillHolds() {
        f.sessionLayerRunning = false;

        SecurityResponse r = ledger.apply(request(ResponseAction.DISABLE_USER, "alice", HOUR));

        assertEquals(State.ACTIVE, r.state());
        assertTrue(r.note().contains("no sessions were open to revoke"), r.note());
        assertTrue(ledger.isDisabled("alice"), "the session layer asks at login when it returns");
    }

    @Test
    void aSecondDisableExtendsTheFirst() {
        SecurityResponse first = ledger.apply(request(ResponseAction.DISABLE_USER, "alice", HOUR));
        f.clock.advance(Duration.ofMinutes(10));

        SecurityResponse second = ledger.apply(request(ResponseAction.DISABLE_USER, "alice", HOUR));

        assertEquals(first.id(), second.id());
        assertEquals(1, ledger.active().size());
        assertEquals(Fixture.T0.plus(Duration.ofMinutes(70)), second.expires());
    }

    @Test
    void undoLetsADisabledUserIn() {
        SecurityResponse r = ledger.apply(request(ResponseAction.DISABLE_USER, "alice", HOUR));

        ledger.undo(r.id(), "an operator (test)");

        assertFalse(ledger.isDisabled("alice"));
        assertTrue(f.events.last().detail().contains("undone by an operator (test)"));
    }
}
