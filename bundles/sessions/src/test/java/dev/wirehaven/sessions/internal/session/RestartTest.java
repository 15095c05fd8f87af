package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restart is a new runtime on the same store and a fresh device (as after {@code kill -9}: nothing
 * of the old runtime is closed in an orderly way except its threads).
 */
class RestartTest {

    private final FlowFixture fx;

    RestartTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void theValidSessionsPeersComeBackAndTheOldTokenStillWorks() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c);
        fx.runtime.reaper().sweep();
        PeerSnapshot before = fx.peer(c.publicKey()).orElseThrow();

        fx.restart();

        PeerSnapshot after = fx.peer(c.publicKey()).orElseThrow();
        assertEquals(before.presharedKey(), after.presharedKey());
        assertEquals(before.allowedIps(), after.allowedIps());
        assertEquals(List.of(Cidr.parse("10.8.0.2/32")), after.allowedIps());
        assertEquals(
                SessionPhase.ACTIVE, fx.flow().status(c.sessionId(), c.token()).phase());
        assertEquals(Key.fromBase64(c.server().presharedKey()), after.presharedKey());
    }

    @Test
    void theClientResumesOnTheRestartedDeviceWithoutANewLogin() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        ClientDevice client = fx.handshake(c);
        fx.restart();

        // the client's keys no longer match the fresh device; it sets the server up again from the config it
        // has (WireGuard would rekey by itself after its timeouts), with the same key and preshared key
        client.reconnect();
        client.awaitHandshakeOn(fx.device, c.publicKey());
        fx.clock.catchUp();
        fx.runtime.reaper().sweep();

        assertEquals(
                SessionPhase.ACTIVE, fx.flow().status(c.sessionId(), c.token()).phase());
    }

    @Test
    void sessionsThatLapsedWhileTheServerWasDownAreCleanedUpAtStart() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        AuthChallenge pending = fx.request(Keys.publicFrom(Keys.generatePrivate()), "phone");
        fx.clock.advance(Duration.ofHours(13));

        fx.restart();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertEquals(SessionPhase.EXPIRED, fx.stored(pending.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
        assertTrue(fx.device.snapshot().peers().isEmpty());
    }

    // ---- a crash in the middle of a setup: after the restart the session is whole or gone ----------

    @Test
    void aSetupCutBetweenItsServerConfigAndItsClientConfigIsEndedAtStartAndItsLeaseReleased() throws Exception {
        Key clientKey = Keys.generatePrivate();
        AuthChallenge challenge = fx.request(Keys.publicFrom(clientKey), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        fx.flow().serverConfig(grant.sessionId(), grant.token(), fx.serverHost.getHostAddress());
        assertNull(fx.lease("10.8.0.2").orElseThrow().releasedAt(), "leased before the crash");

        fx.restart();

        assertEquals(SessionPhase.EXPIRED, fx.stored(grant.sessionId()).phase());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt(), "the lease is released");
        refused(FlowFailure.EXPIRED, () -> fx.flow().status(grant.sessionId(), grant.token()));
        refused(
                FlowFailure.EXPIRED,
                () -> fx.flow()
                        .clientConfig(
                                grant.sessionId(),
                                grant.token(),
                                new ClientConfig(Keys.publicFrom(clientKey).toBase64(), List.of())));
        assertTrue(fx.device.snapshot().peers().isEmpty());
        // the client starts again and gets the same address back: it was released, not lost
        FlowFixture.Client again = fx.configured("alice", "correct horse", "laptop");
        assertEquals(List.of("10.8.0.2/32"), again.server().addresses());
    }

    @Test
    void aSetupCutAfterItsPeerRecordButBeforeItsConfiguredPhaseWasSavedIsEndedWithItsPeerRecord() throws Exception {
        Key clientKey = Keys.generatePrivate();
        AuthChallenge challenge = fx.request(Keys.publicFrom(clientKey), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        fx.flow().serverConfig(grant.sessionId(), grant.token(), fx.serverHost.getHostAddress());
        // what Setup.configure had written when the process died: the peer record, not the phase
        PeerRepository peers = new PeerRepository(fx.db.dataSource());
        peers.put(new PeerRecord(
                Keys.publicFrom(clientKey).toBase64(),
                grant.sessionId(),
                null,
                List.of("10.8.0.2/32"),
                0,
                Instant.now()));

        fx.restart();

        assertEquals(SessionPhase.EXPIRED, fx.stored(grant.sessionId()).phase());
        assertTrue(peers.ofSession(grant.sessionId()).isEmpty(), "the peer record is gone");
        assertTrue(fx.peer(Keys.publicFrom(clientKey)).isEmpty(), "no peer on the device");
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
    }

    @Test
    void aSessionOnlyRequestedBeforeTheCrashIsLeftToAuthenticate() throws Exception {
        // nothing of it exists but the request: no token, lease or peer; its login may still come
        AuthChallenge pending = fx.request(Keys.publicFrom(Keys.generatePrivate()), "phone");

        fx.restart();

        assertTrue(fx.stored(pending.sessionId()).isOpen());
        SessionGrant grant = fx.authenticate(pending.sessionId(), "alice", "correct horse");
        assertEquals(
                SessionPhase.AUTHENTICATED,
                fx.flow().status(grant.sessionId(), grant.token()).phase());
    }
}
