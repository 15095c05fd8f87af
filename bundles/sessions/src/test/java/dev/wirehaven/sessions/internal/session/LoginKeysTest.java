package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a failed login counts against, and that the count cannot be outrun or turned against a user. */
class LoginKeysTest {

    private static final LoginLimits LIMITS =
            new LoginLimits(5, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(15));

    @Test
    void attemptsInFlightCountBeforeTheyAreVerifiedSoABurstCannotExceedTheLimit() {
        LoginThrottle throttle = new LoginThrottle();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            assertTrue(throttle.begin("user:alice", now, LIMITS).isEmpty(), "attempt " + (i + 1) + " may run");
        }

        Optional<Duration> sixth = throttle.begin("user:alice", now, LIMITS);

        assertTrue(sixth.isPresent(), "five checks are running: a sixth waits instead of being verified");
        throttle.forgive("user:alice", now);
        assertTrue(throttle.begin("user:alice", now, LIMITS).isEmpty(), "an attempt taken back frees its place");
    }

    @Test
    void aStrangerWhoLocksAUserNameOutDoesNotStopThatUsersSessionFromReauthenticating() throws Exception {
        try (FlowFixture fx = new FlowFixture()) {
            FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
            String strangers =
                    fx.requestFrom(FlowFixture.address("203.0.113.9")).sessionId();
            for (int i = 0; i < 5; i++) {
                try {
                    fx.flow()
                            .authenticate(
                                    strangers,
                                    new AuthResponse("password", "alice", "guess" + i, null, null),
                                    FlowFixture.address("203.0.113.9"));
                } catch (dev.wirehaven.sessions.spi.FlowException expected) {
                    // the fifth starts the lockout
                }
            }
            String fresh =
                    fx.request(Keys.publicFrom(Keys.generatePrivate()), "phone").sessionId();
            refused(FlowFailure.RATE_LIMITED, () -> fx.authenticate(fresh, "alice", "correct horse"));

            SessionGrant renewed = fx.flow()
                    .reauthenticate(
                            c.sessionId(),
                            c.token(),
                            new AuthResponse("password", "alice", "correct horse", null, null),
                            FlowFixture.SOURCE);

            assertEquals(c.sessionId(), renewed.sessionId(), "the live session renews despite the lockout");
        }
    }

    @Test
    void theUserTheProviderProvesIsThrottledEvenWhenTheNameWasTypedAnotherWay() throws Exception {
        try (FlowFixture fx = new FlowFixture()) {
            fx.providers.add(TestProviders.bound(new TestProviders.Directory(), 0));
            String id = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop")
                    .sessionId();
            // dave's name, locked out through failed second factors or the like
            LoginThrottle throttle = fx.runtime.throttle();
            for (int i = 0; i < 5; i++) {
                throttle.recordFailure(LoginKeys.userKey("dave"), fx.clock.instant(), LIMITS);
            }

            // "DAVE " is another spelling the directory maps to dave
            refused(
                    FlowFailure.RATE_LIMITED,
                    () -> fx.flow()
                            .authenticate(
                                    id,
                                    new AuthResponse("ldap", "dave@corp", "dave's secret", null, null),
                                    FlowFixture.SOURCE));
        }
    }
}
