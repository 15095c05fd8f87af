package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Steps out of order are refused with 409 naming the phase, and change nothing: not the store, not the device, not the log. */
class FlowOrderTest {

    private final FlowFixture fx;

    FlowOrderTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void serverConfigBeforeAuthenticationIsOutOfOrderAndNamesThePhase() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        Snapshot before = snapshot(challenge.sessionId());

        FlowException e = refused(
                FlowFailure.OUT_OF_ORDER, () -> fx.flow().serverConfig(challenge.sessionId(), null, "vpn.example.com"));

        assertTrue(e.getMessage().contains("CHALLENGED"), e.getMessage());
        assertEquals(before, snapshot(challenge.sessionId()));
    }

    @Test
    void confirmBeforeClientConfigIsOutOfOrder() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        Snapshot before = snapshot(grant.sessionId());

        FlowException e = refused(
                FlowFailure.OUT_OF_ORDER,
                () -> fx.flow().confirm(grant.sessionId(), grant.token(), new SetupConfirmation("wh0")));

        assertTrue(e.getMessage().contains("AUTHENTICATED"), e.getMessage());
        assertEquals(before, snapshot(grant.sessionId()));
    }

    @Test
    void authenticatingTwiceIsOutOfOrder() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        Snapshot before = snapshot(grant.sessionId());

        refused(FlowFailure.OUT_OF_ORDER, () -> fx.authenticate(challenge.sessionId(), "alice", "correct horse"));

        assertEquals(before, snapshot(grant.sessionId()));
    }

    @Test
    void clientConfigWithAnotherKeyAfterConfigurationIsOutOfOrderAndLeavesThePeer() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        Snapshot before = snapshot(c.sessionId());
        String otherKey = Keys.publicFrom(Keys.generatePrivate()).toBase64();

        refused(
                FlowFailure.OUT_OF_ORDER,
                () -> fx.flow().clientConfig(c.sessionId(), c.token(), new ClientConfig(otherKey, List.of())));

        assertEquals(before, snapshot(c.sessionId()));
        assertTrue(fx.peer(c.publicKey()).isPresent());
        assertEquals(1, fx.device.snapshot().peers().size());
    }

    @Test
    void clientConfigWithAnotherKeyBeforeConfigurationIsInvalid() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        String otherKey = Keys.publicFrom(Keys.generatePrivate()).toBase64();

        FlowException e = refused(
                FlowFailure.INVALID_REQUEST,
                () -> fx.flow().clientConfig(grant.sessionId(), grant.token(), new ClientConfig(otherKey, List.of())));

        assertTrue(e.getMessage().startsWith("publicKey"), e.getMessage());
        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(grant.sessionId()).phase());
        assertTrue(fx.device.snapshot().peers().isEmpty());
    }

    @Test
    void anUnknownSessionIsNotFound() {
        refused(FlowFailure.NOT_FOUND, () -> fx.flow().status("no-such-session", "token"));
        refused(FlowFailure.NOT_FOUND, () -> fx.authenticate("no-such-session", "alice", "correct horse"));
    }

    @Test
    void aRequestedAddressThatIsAWordIsRefusedWithoutALookup() {
        FlowException e = refused(
                FlowFailure.INVALID_REQUEST,
                () -> fx.flow()
                        .requestConnection(
                                new ConnectionRequest(
                                        Keys.publicFrom(Keys.generatePrivate()).toBase64(), "face", "laptop"),
                                FlowFixture.SOURCE));
        assertTrue(e.getMessage().contains("requestedAddress"), e.getMessage());
    }

    private Snapshot snapshot(String sessionId) {
        SessionRecord s = fx.stored(sessionId);
        return new Snapshot(
                s.phase(),
                s.tokenHash(),
                s.addresses().toString(),
                fx.eventKinds(sessionId).size(),
                fx.device.snapshot().peers().size());
    }

    private record Snapshot(SessionPhase phase, String tokenHash, String addresses, int events, int peers) {}
}
