package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.testing.LogCapture;
import dev.wirehaven.sessions.internal.store.EventEntry;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginTest {

    private final FlowFixture fx;

    LoginTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private String challenge() throws FlowException {
        return fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop").sessionId();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameGenericAnswerAndTheSessionStaysChallenged() throws Exception {
        String id = challenge();

        FlowException wrongPassword = refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(id, "alice", "wrong"));
        FlowException unknownUser = refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(id, "mallory", "x"));

        assertEquals(wrongPassword.getMessage(), unknownUser.getMessage());
        assertFalse(wrongPassword.getMessage().toLowerCase().contains("password"), wrongPassword.getMessage());
        assertEquals(SessionPhase.CHALLENGED, fx.stored(id).phase());
        assertEquals(id, fx.authenticate(id, "alice", "correct horse").sessionId(), "the right password still works");
        fx.sink.await(
                fx.sink.securityEvents,
                e -> e.type().equals(SecurityEvent.AUTH_FAILURE)
                        && e.user().equals("mallory")
                        && FlowFixture.SOURCE.equals(e.source()));
    }

    @Test
    void fiveFailuresLockTheUserOutWithRetryAfterUntilTheLockoutEnds() throws Exception {
        String id = challenge();
        for (int i = 0; i < 4; i++) {
            refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(id, "alice", "wrong"));
        }

        FlowException fifth = refused(FlowFailure.RATE_LIMITED, () -> fx.authenticate(id, "alice", "wrong"));
        assertEquals(Duration.ofSeconds(30), fifth.retryAfter());
        FlowException locked = refused(FlowFailure.RATE_LIMITED, () -> fx.authenticate(id, "alice", "correct horse"));
        assertEquals(Duration.ofSeconds(30), locked.retryAfter(), "even the right password waits");
        int providerCalls = fx.passwords.calls.get();

        fx.clock.advance(Duration.ofSeconds(31));
        SessionGrant grant = fx.authenticate(id, "alice", "correct horse");

        assertEquals(providerCalls + 1, fx.passwords.calls.get(), "a locked-out answer never reaches the provider");
        assertEquals(id, grant.sessionId());
        List<String> kinds = fx.recentEvents(50).stream().map(EventEntry::kind).toList();
        assertEquals(
                5, kinds.stream().filter(SecurityEvent.AUTH_FAILURE::equals).count());
        assertTrue(kinds.contains(SecurityEvent.RATE_LIMITED), kinds.toString());
        fx.sink.await(fx.sink.securityEvents, e -> e.type().equals(SecurityEvent.RATE_LIMITED));
    }

    @Test
    void failedLoginsFromOneIpv6Slash64CountTogether() throws Exception {
        String id = challenge();
        // each attempt from another address of the /64 and for another user name
        for (int i = 1; i <= 4; i++) {
            java.net.InetAddress from = FlowFixture.address("2001:db8:7:7::" + i);
            String user = "user" + i;
            refused(
                    FlowFailure.UNAUTHORIZED,
                    () -> fx.flow().authenticate(id, new AuthResponse("password", user, "wrong", null, null), from));
        }

        FlowException fifth = refused(
                FlowFailure.RATE_LIMITED,
                () -> fx.flow()
                        .authenticate(
                                id,
                                new AuthResponse("password", "someone", "wrong", null, null),
                                FlowFixture.address("2001:db8:7:7::99")));

        assertEquals(Duration.ofSeconds(30), fifth.retryAfter());
        assertTrue(fx.recentEvents(50).stream()
                .anyMatch(e -> e.kind().equals(SecurityEvent.RATE_LIMITED)
                        && e.detail().contains("2001:db8:7:7::/64")));
    }

    @Test
    void eachFurtherLockoutDoublesAndASuccessResetsTheUser() throws Exception {
        String id = challenge();
        for (int i = 0; i < 5; i++) {
            refusedOrLimited(id);
        }
        fx.clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 5; i++) {
            refusedOrLimited(id);
        }
        FlowException second = refused(FlowFailure.RATE_LIMITED, () -> fx.authenticate(id, "alice", "correct horse"));
        assertEquals(Duration.ofSeconds(60), second.retryAfter());

        fx.clock.advance(Duration.ofSeconds(61));
        fx.authenticate(id, "alice", "correct horse");
        String next = challenge();
        refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(next, "alice", "wrong"));
    }

    @Test
    void aPasswordThatNeedsACodeLeavesTheSessionChallengedUntilTheCodeFollows() throws Exception {
        String id = challenge();

        FlowException e =
                refused(FlowFailure.ANOTHER_FACTOR_REQUIRED, () -> fx.authenticate(id, "carol", "two factors"));
        assertEquals(List.of("totp"), e.methods());
        assertEquals(SessionPhase.CHALLENGED, fx.stored(id).phase());
        assertEquals("carol", fx.stored(id).user());

        refused(
                FlowFailure.UNAUTHORIZED,
                () -> fx.flow()
                        .authenticate(id, new AuthResponse("totp", "", null, "000000", null), FlowFixture.SOURCE));
        SessionGrant grant =
                fx.flow().authenticate(id, new AuthResponse("totp", "", null, "123456", null), FlowFixture.SOURCE);

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(grant.sessionId()).phase());
        assertEquals("carol", fx.stored(grant.sessionId()).user());
    }

    @Test
    void aCodeCannotBeTheFirstFactorOfAUserWhoNeedsTwo() throws Exception {
        String id = challenge();

        // a method that takes only one-time codes is never offered as a first factor
        refused(
                FlowFailure.INVALID_REQUEST,
                () -> fx.flow()
                        .authenticate(id, new AuthResponse("totp", "carol", null, "123456", null), FlowFixture.SOURCE));
    }

    @Test
    void anUnavailableOrThrowingProviderHandsOverToTheNextOneAndTheCredentialIsNotLogged() throws Exception {
        TestProviders.Unavailable down = new TestProviders.Unavailable();
        fx.providers.add(0, TestProviders.bound(down, 100));
        fx.providers.add(1, TestProviders.bound(new TestProviders.Throwing(), 50));
        String id = challenge();

        try (LogCapture log = new LogCapture(AuthChain.class)) {
            SessionGrant grant = fx.authenticate(id, "alice", "correct horse");

            assertEquals(id, grant.sessionId());
            assertEquals(1, down.calls.get());
            String all = String.join("\n", log.lines());
            assertTrue(all.contains("ldap.example.com unreachable"), all);
            assertTrue(all.contains("threw java.lang.IllegalStateException"), all);
            assertFalse(all.contains("correct horse"), all);
        }
    }

    @Test
    void whenNoProviderCanDecideTheAnswerIsUnavailableAndNotAFailure() throws Exception {
        fx.providers.clear();
        fx.providers.add(TestProviders.bound(new TestProviders.Unavailable(), 0));
        String id = challenge();

        refused(FlowFailure.UNAVAILABLE, () -> fx.authenticate(id, "alice", "correct horse"));

        assertTrue(fx.recentEvents(20).stream().noneMatch(e -> e.kind().equals(SecurityEvent.AUTH_FAILURE)));
    }

    @Test
    void aMethodThatWasNotOfferedIsAnInvalidRequest() throws Exception {
        String id = challenge();

        FlowException e = refused(
                FlowFailure.INVALID_REQUEST,
                () -> fx.flow()
                        .authenticate(
                                id,
                                new AuthResponse("ldap", "alice", "correct horse", null, null),
                                FlowFixture.SOURCE));

        assertTrue(e.getMessage().endsWith("acceptable now: password"), e.getMessage());
    }

    @Test
    void anAnswerAfterTheChallengeLapsedExpiresTheSession() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        fx.clock.advance(Duration.ofMinutes(2));

        refused(FlowFailure.EXPIRED, () -> fx.authenticate(challenge.sessionId(), "alice", "correct horse"));

        assertEquals(SessionPhase.EXPIRED, fx.stored(challenge.sessionId()).phase());
    }

    @Test
    void withoutAnyProviderNoSessionIsStarted() {
        fx.providers.clear();

        refused(FlowFailure.UNAVAILABLE, () -> fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop"));
    }

    private void refusedOrLimited(String id) {
        FlowException e = org.junit.jupiter.api.Assertions.assertThrows(
                FlowException.class, () -> fx.authenticate(id, "alice", "wrong"));
        assertTrue(e.failure() == FlowFailure.UNAUTHORIZED || e.failure() == FlowFailure.RATE_LIMITED, e.getMessage());
    }
}
