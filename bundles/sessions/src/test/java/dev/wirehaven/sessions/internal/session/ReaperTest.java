package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReaperTest {

    private final FlowFixture fx;

    ReaperTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void anActiveSessionWithoutAHandshakeForTheIdleTimeoutIsCleanedUpLikeADisconnect() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c).close();
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.ACTIVE, fx.stored(c.sessionId()).phase());

        fx.clock.advance(Duration.ofMinutes(14));
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.ACTIVE, fx.stored(c.sessionId()).phase(), "not idle for 15 minutes yet");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.stored(c.sessionId()).closeReason().startsWith("idle"), fx.stored(c.sessionId()).closeReason());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
        fx.sink.await(fx.sink.sessionEvents, e -> e.sessionId().equals(c.sessionId()) && e.phase() == SessionPhase.EXPIRED);
    }

    @Test
    void aSessionPastItsLifetimeExpiresEvenWhileActive() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c);
        fx.runtime.reaper().sweep();

        fx.clock.advance(Duration.ofHours(12));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
    }

    @Test
    void anUnansweredChallengeExpires() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(challenge.sessionId()).phase());
        assertTrue(fx.eventKinds(challenge.sessionId()).contains("session.expired"));
    }

    @Test
    void aConfiguredSessionWithoutAHandshakeWithinTheSetupTimeoutExpires() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        fx.clock.advance(Duration.ofMinutes(1));
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.CONFIGURED, fx.stored(c.sessionId()).phase());

        fx.clock.advance(Duration.ofMinutes(1));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
    }

    @Test
    void anAuthenticatedSessionThatNeverConfiguresExpiresAfterTheSetupTimeout() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        fx.flow().serverConfig(grant.sessionId(), grant.token(), "vpn.example.com");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(grant.sessionId()).phase());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
    }
}
