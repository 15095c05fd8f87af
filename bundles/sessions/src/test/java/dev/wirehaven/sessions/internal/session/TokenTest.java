package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenTest {

    private final FlowFixture fx;

    TokenTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aForgedTokenIsUnauthorizedAndSaysNothingAboutTheSession() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        String forged = c.token().substring(0, 42) + (c.token().endsWith("A") ? "B" : "A");

        FlowException e = refused(FlowFailure.UNAUTHORIZED, () -> fx.flow().status(c.sessionId(), forged));
        refused(FlowFailure.UNAUTHORIZED, () -> fx.flow().status(c.sessionId(), null));
        refused(FlowFailure.UNAUTHORIZED, () -> fx.flow().disconnect(c.sessionId(), forged));

        assertTrue(!e.getMessage().contains("CONFIGURED"), e.getMessage());
        assertEquals(SessionPhase.CONFIGURED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isPresent());
    }

    @Test
    void anExpiredTokenIsRefusedAndItsSessionIsCleanedUp() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        fx.clock.advance(Duration.ofHours(12));

        refused(FlowFailure.EXPIRED, () -> fx.flow().status(c.sessionId(), c.token()));
        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
        refused(FlowFailure.EXPIRED, () -> fx.flow().status(c.sessionId(), c.token()));
    }

    @Test
    void reauthenticationIssuesANewTokenAndExpiryAndKeepsTheTunnel() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        var before = fx.stored(c.sessionId());
        fx.clock.advance(Duration.ofHours(11));

        SessionGrant renewed = fx.flow()
                .reauthenticate(
                        c.sessionId(),
                        c.token(),
                        new AuthResponse("password", "", "correct horse", null, null),
                        FlowFixture.SOURCE);

        assertNotEquals(c.token(), renewed.token());
        assertEquals(fx.clock.instant().plus(Duration.ofHours(12)), renewed.expiresAt());
        refused(FlowFailure.UNAUTHORIZED, () -> fx.flow().status(c.sessionId(), c.token()));
        assertEquals(
                SessionPhase.CONFIGURED,
                fx.flow().status(c.sessionId(), renewed.token()).phase());
        assertTrue(fx.peer(c.publicKey()).isPresent(), "the tunnel is kept");
        assertEquals(before.presharedKey(), fx.stored(c.sessionId()).presharedKey());
        fx.clock.advance(Duration.ofHours(2));
        assertEquals(
                SessionPhase.CONFIGURED,
                fx.flow().status(c.sessionId(), renewed.token()).phase(),
                "past the first expiry the session lives on");
    }

    @Test
    void reauthenticationAsAnotherUserFailsLikeAWrongPassword() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        FlowException e = refused(
                FlowFailure.UNAUTHORIZED,
                () -> fx.flow()
                        .reauthenticate(
                                c.sessionId(),
                                c.token(),
                                new AuthResponse("password", "bob", "battery staple", null, null),
                                FlowFixture.SOURCE));

        assertEquals("Authentication failed: the credentials were not accepted", e.getMessage());
        assertEquals(
                SessionPhase.CONFIGURED,
                fx.flow().status(c.sessionId(), c.token()).phase());
    }
}
