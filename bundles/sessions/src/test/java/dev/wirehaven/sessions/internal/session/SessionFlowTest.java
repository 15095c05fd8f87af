package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's connection flow end to end against a real WireGuard device, with a second real device
 * as the client:
 *
 * <pre>
 *   ClientDevice wh0 (alice's key) ---- MemoryNetwork ---- wg0 (server key, :51820) + SessionRuntime
 * </pre>
 */
class SessionFlowTest {

    private final FlowFixture fx;

    SessionFlowTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aClientGoesFromRequestToActiveAtItsFirstRealHandshakeAndEveryStepIsRecorded() throws Exception {
        Key clientKey = Keys.generatePrivate();
        Key clientPublic = Keys.publicFrom(clientKey);

        // 1-2 request connection, auth challenge
        AuthChallenge challenge = fx.request(clientPublic, "laptop");
        assertEquals(List.of("password"), challenge.methods(), "totp takes only codes: a second factor");
        assertEquals(SessionPhase.CHALLENGED, fx.stored(challenge.sessionId()).phase());

        // 3-4 credentials, validate and accept
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        assertEquals(challenge.sessionId(), grant.sessionId());
        assertEquals(43, grant.token().length(), "32 random bytes in base64url without padding");
        assertFalse(fx.stored(grant.sessionId()).tokenHash().contains(grant.token()), "only the hash is stored");

        // 5 server config
        ServerConfig server = fx.flow().serverConfig(grant.sessionId(), grant.token(), fx.serverHost.getHostAddress());
        assertEquals(Keys.publicFrom(fx.serverKey).toBase64(), server.serverPublicKey());
        assertEquals(fx.serverHost.getHostAddress() + ":51820", server.endpoint());
        assertEquals(List.of("10.8.0.2/32"), server.addresses(), "the first address after the server's 10.8.0.1");
        assertEquals(List.of("10.8.0.0/24"), server.subnets());
        assertEquals(List.of("10.8.0.0/24"), server.routes(), "split tunnel by default");
        assertEquals(1420, server.mtu());
        assertEquals(25, server.persistentKeepalive());
        assertNotNull(server.presharedKey());

        // 6-7 client config, the server adds the peer
        SessionStatus configured = fx.flow()
                .clientConfig(grant.sessionId(), grant.token(), new ClientConfig(clientPublic.toBase64(), List.of()));
        assertEquals(SessionPhase.CONFIGURED, configured.phase());
        PeerSnapshot peer = fx.peer(clientPublic).orElseThrow();
        assertEquals(List.of(Cidr.parse("10.8.0.2/32")), peer.allowedIps());
        assertEquals(Key.fromBase64(server.presharedKey()), peer.presharedKey());

        // 8 confirm before any handshake: still CONFIGURED
        assertEquals(
                SessionPhase.CONFIGURED,
                fx.flow()
                        .confirm(grant.sessionId(), grant.token(), new SetupConfirmation("wh0"))
                        .phase());

        // 9 the client's interface comes up; the reaper sees the handshake on the device
        fx.handshake(new FlowFixture.Client(grant.sessionId(), grant.token(), clientKey, server));
        fx.runtime.reaper().sweep();
        SessionStatus active = fx.flow().status(grant.sessionId(), grant.token());
        assertEquals(SessionPhase.ACTIVE, active.phase());
        assertNotNull(active.lastHandshake());
        assertEquals("alice", active.user());
        assertTrue(active.rxBytes() > 0, "the handshake and keepalive crossed the tunnel");

        // keep-alive with metrics
        fx.flow().report(grant.sessionId(), grant.token(), new StatusReport(100, 200, 3, 12));
        fx.sink.await(fx.sink.metrics, m -> m.name().equals("wirehaven.client.latency") && m.value() == 12);

        // 10 disconnection request, cleanup complete
        SessionStatus closed = fx.flow().disconnect(grant.sessionId(), grant.token());
        assertEquals(SessionPhase.DISCONNECTED, closed.phase());
        assertTrue(fx.peer(clientPublic).isEmpty(), "the peer is gone from the device");
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt(), "the lease is released");

        assertEquals(
                List.of(
                        "session.requested",
                        "session.challenged",
                        "session.authenticated",
                        "session.authenticated",
                        "session.configured",
                        "session.configured",
                        "session.configured",
                        "session.active",
                        "session.disconnected"),
                fx.eventKinds(grant.sessionId()));
        fx.sink.await(
                fx.sink.sessionEvents,
                e -> e.sessionId().equals(grant.sessionId())
                        && e.phase() == SessionPhase.DISCONNECTED
                        && e.detail().contains("peer removed from wg0"));
    }

    @Test
    void aStuckMonitoringSinkDoesNotHoldUpTheFlow() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        fx.monitor.add(99, new dev.wirehaven.api.monitor.MonitoringSink() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public void sessionEvent(dev.wirehaven.api.monitor.SessionEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

            assertEquals(
                    SessionPhase.CONFIGURED,
                    fx.flow().status(c.sessionId(), c.token()).phase());
            fx.sink.await(
                    fx.sink.sessionEvents,
                    e -> e.sessionId().equals(c.sessionId()) && e.phase() == SessionPhase.CONFIGURED);
        } finally {
            release.countDown();
            fx.monitor.remove(99);
        }
    }

    @Test
    void confirmAnswersActiveWhenTheHandshakeHappenedAlready() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c);

        SessionStatus confirmed = fx.flow().confirm(c.sessionId(), c.token(), new SetupConfirmation(""));

        assertEquals(SessionPhase.ACTIVE, confirmed.phase());
        assertEquals(SessionPhase.ACTIVE, fx.stored(c.sessionId()).phase());
    }

    @Test
    void disconnectRemovesThePeerReleasesTheLeaseAndRevokesTheToken() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        assertTrue(fx.peer(c.publicKey()).isPresent());
        assertNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());

        fx.flow().disconnect(c.sessionId(), c.token());

        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
        assertEquals(
                SessionPhase.DISCONNECTED,
                fx.flow().disconnect(c.sessionId(), c.token()).phase(),
                "a repeated disconnect answers the closed session");
        FlowAssertions.refused(
                dev.wirehaven.sessions.spi.FlowFailure.UNAUTHORIZED,
                () -> fx.flow().status(c.sessionId(), c.token()));
    }

    @Test
    void aNewSessionOfTheSameKeySupersedesTheOldOne() throws Exception {
        FlowFixture.Client first = fx.configured("alice", "correct horse", "laptop");

        AuthChallenge again = fx.request(first.publicKey(), "laptop");
        SessionGrant second = fx.authenticate(again.sessionId(), "alice", "correct horse");

        assertEquals(SessionPhase.DISCONNECTED, fx.stored(first.sessionId()).phase());
        assertTrue(fx.stored(first.sessionId()).closeReason().contains("superseded by session " + second.sessionId()));
        assertTrue(fx.peer(first.publicKey()).isEmpty(), "the old session's peer is gone until the new one configures");
        ServerConfig server = fx.flow().serverConfig(second.sessionId(), second.token(), "vpn.example.com");
        assertEquals(List.of("10.8.0.2/32"), server.addresses(), "the same device gets its address back");
        assertEquals("vpn.example.com:51820", server.endpoint());
    }

    @Test
    void anotherUsersKeyIsRefusedAndItsSessionStays() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");

        AuthChallenge challenge = fx.request(alice.publicKey(), "stolen");
        FlowAssertions.refused(
                dev.wirehaven.sessions.spi.FlowFailure.FORBIDDEN,
                () -> fx.authenticate(challenge.sessionId(), "bob", "battery staple"));

        assertEquals(SessionPhase.CONFIGURED, fx.stored(alice.sessionId()).phase());
        assertTrue(fx.peer(alice.publicKey()).isPresent());
    }
}
