package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.NodeRecord;
import dev.wirehaven.sessions.internal.store.NodeRepository;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one store: the fixture's own ("node-a") and another with its own device and
 * key ("node-b"). The change feeds are driven by the tests ({@code readOnce}), not by their threads.
 */
class ClusterTest {

    private static final Map<String, Object> NODE_A = Map.of(
            "node.name", "node-a", "endpoint", "a.vpn.example:51820", "node.control.url", "https://a.vpn.example:8443");
    private static final Map<String, Object> NODE_B = Map.of(
            "node.name", "node-b", "endpoint", "b.vpn.example:51820", "node.control.url", "https://b.vpn.example:8443");

    private final FlowFixture fx;
    private final FlowFixture.Node b;

    ClusterTest() throws Exception {
        fx = new FlowFixture(NODE_A);
        b = fx.otherNode(NODE_B);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aSessionConfiguredOnOneNodeIsPreStagedOnTheOther() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        assertTrue(b.peer(c.publicKey()).isEmpty(), "not before node-b reads the change log");

        assertEquals(1, b.runtime().feed().readOnce());

        PeerSnapshot onA = fx.peer(c.publicKey()).orElseThrow();
        PeerSnapshot onB = b.peer(c.publicKey()).orElseThrow();
        assertEquals(onA.allowedIps(), onB.allowedIps());
        assertEquals(onA.presharedKey(), onB.presharedKey());
        assertEquals(PeerTable.ownerOf(c.sessionId()), onB.owner());
    }

    @Test
    void aClientMovesToTheOtherNodeWithAHandshakeAndNoNewLogin() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        ClientDevice client = fx.handshake(c);
        fx.runtime.reaper().sweep();
        b.runtime().feed().readOnce();

        client.moveTo(Keys.publicFrom(b.privateKey()), b.host(), FlowFixture.LISTEN_PORT);
        client.awaitHandshakeOn(b.device(), c.publicKey());
        fx.clock.catchUp();

        // the same token works on node-b: no new login, the same address
        assertEquals(
                SessionPhase.ACTIVE, b.flow().status(c.sessionId(), c.token()).phase());
        assertEquals(
                fx.peer(c.publicKey()).orElseThrow().allowedIps(),
                b.peer(c.publicKey()).orElseThrow().allowedIps());
        assertFalse(fx.eventKinds(c.sessionId()).stream()
                        .filter("AUTHENTICATED"::equals)
                        .count()
                > 1);

        // node-b saw the client's handshake: the client counts as node-b's from now on
        b.runtime().reaper().sweep();
        assertEquals(Optional.of("node-b"), new SessionRepository(fx.db.dataSource()).gatewayOf(c.sessionId()));
    }

    @Test
    void newSessionsGoToTheNodeWithTheMostHeadroom() throws Exception {
        beatIdle("node-a", fx.serverKey, "a.vpn.example:51820", "https://a.vpn.example:8443", 10);
        beatIdle("node-b", b.privateKey(), "b.vpn.example:51820", "https://b.vpn.example:8443", 10);

        List<FlowFixture.Client> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(fx.configured("alice", "correct horse", "laptop" + i));
        }

        assertEquals(Map.of("node-a", 3, "node-b", 3), new SessionRepository(fx.db.dataSource()).openByGateway());
        FlowFixture.Client onB = clients.get(1); // node-a first among equals, then node-b
        assertEquals(Keys.publicFrom(b.privateKey()).toBase64(), onB.server().serverPublicKey());
        assertEquals("b.vpn.example:51820", onB.server().endpoint());
        assertEquals(
                List.of("node-a"),
                onB.server().gateways().stream().map(Gateway::name).toList());
        // the client that logged in through node-a calls node-b, which carries its tunnel, from now on
        assertEquals(
                new Gateway(
                        "node-b",
                        "b.vpn.example:51820",
                        Keys.publicFrom(b.privateKey()).toBase64(),
                        "https://b.vpn.example:8443"),
                onB.server().gateway());
        assertEquals("node-a", clients.get(0).server().gateway().name());
        assertEquals(
                "https://a.vpn.example:8443", clients.get(0).server().gateway().controlUrl());
    }

    @Test
    void aSingleNodeWithoutAControlUrlNamesNoGatewaySoItsClientKeepsCallingWhereItLoggedIn() throws Exception {
        try (FlowFixture single = new FlowFixture()) {
            assertEquals(
                    null,
                    single.configured("alice", "correct horse", "laptop")
                            .server()
                            .gateway());
        }
    }

    @Test
    void aNodeAboveItsThresholdTakesNoNewSessionsWhileAnotherIsBelow() throws Exception {
        beatIdle("node-a", fx.serverKey, "a.vpn.example:51820", "https://a.vpn.example:8443", 10);
        beatIdle("node-b", b.privateKey(), "b.vpn.example:51820", "https://b.vpn.example:8443", 1);

        // node-b, one session of capacity 1, is full after the first; node-a then takes every other one
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            placed.add(fx.configured("alice", "correct horse", "laptop" + i)
                    .server()
                    .endpoint());
        }

        assertEquals(1, placed.stream().filter("b.vpn.example:51820"::equals).count(), placed.toString());
        assertEquals(Map.of("node-a", 3, "node-b", 1), new SessionRepository(fx.db.dataSource()).openByGateway());
    }

    @Test
    void aDrainedNodeHoldsNoPeersTakesNoNewSessionsAndItsClientMovesWithoutALogin() throws Exception {
        beatIdle("node-a", fx.serverKey, "a.vpn.example:51820", "https://a.vpn.example:8443", 10);
        beatIdle("node-b", b.privateKey(), "b.vpn.example:51820", "https://b.vpn.example:8443", 10);
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        assertEquals("a.vpn.example:51820", c.server().endpoint());
        ClientDevice client = fx.handshake(c);
        b.runtime().feed().readOnce();

        assertEquals(1, fx.runtime.drain());

        assertTrue(fx.peer(c.publicKey()).isEmpty(), "its clients find their gateway gone");
        assertEquals(
                "b.vpn.example:51820",
                fx.configured("bob", "battery staple", "phone").server().endpoint());
        client.moveTo(Keys.publicFrom(b.privateKey()), b.host(), FlowFixture.LISTEN_PORT);
        client.awaitHandshakeOn(b.device(), c.publicKey());
        assertEquals(
                SessionPhase.ACTIVE, b.flow().status(c.sessionId(), c.token()).phase());
        String table = new NodesCommand(fx.runtime, fx.clock).nodes();
        assertTrue(table.contains("* node-a") && table.contains("DRAINING"), table);

        assertEquals(2, fx.runtime.undrain(), "both sessions' peers are back on node-a");
        assertTrue(fx.peer(c.publicKey()).isPresent());
    }

    @Test
    void theHeartbeatReportsTheNodesSessionsAndCapacityForThePerformanceAlert() throws Exception {
        fx.configured("alice", "correct horse", "laptop");

        fx.runtime.membership().beat();

        MetricSample sessions = fx.sink.await(fx.sink.metrics, m -> m.name().equals("node.sessions"));
        MetricSample capacity = fx.sink.await(fx.sink.metrics, m -> m.name().equals("node.capacity"));
        assertEquals(1.0, sessions.value());
        assertEquals(NodeSettings.DEFAULT_CAPACITY, capacity.value());
        assertEquals(Map.of("node", "node-a"), sessions.tags());
    }

    /** A heartbeat row of an idle node (no CPU load), as {@code nodeName} would write it now. */
    private void beatIdle(String nodeName, Key privateKey, String endpoint, String controlUrl, int capacity) {
        fx.clock.catchUp();
        new NodeRepository(fx.db.dataSource())
                .beat(new NodeRecord(
                        nodeName,
                        endpoint,
                        Keys.publicFrom(privateKey).toBase64(),
                        controlUrl,
                        capacity,
                        0,
                        0.0,
                        NodeRecord.NodeState.ACTIVE,
                        fx.clock.instant(),
                        fx.clock.instant()));
    }

    @Test
    void aDisconnectOnOneNodeTakesThePeerOffTheOther() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        b.runtime().feed().readOnce();
        assertTrue(b.peer(c.publicKey()).isPresent());

        b.flow().disconnect(c.sessionId(), c.token());
        assertTrue(b.peer(c.publicKey()).isEmpty(), "the node that ended it took its own copy off at once");
        assertTrue(fx.peer(c.publicKey()).isPresent(), "not before node-a reads the change log");

        fx.runtime.feed().readOnce();
        assertTrue(fx.peer(c.publicKey()).isEmpty());
    }

    @Test
    void theServerConfigListsTheOtherLiveNodeAsAGateway() throws Exception {
        fx.runtime.membership().beat(); // what a node writes, with its own key
        beatIdle("node-a", fx.serverKey, "a.vpn.example:51820", "https://a.vpn.example:8443", 10);
        beatIdle("node-b", b.privateKey(), "b.vpn.example:51820", "https://b.vpn.example:8443", 10);

        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        Gateway other = new Gateway(
                "node-b",
                "b.vpn.example:51820",
                Keys.publicFrom(b.privateKey()).toBase64(),
                "https://b.vpn.example:8443");
        assertEquals(List.of(other), c.server().gateways());
    }

    @Test
    void aNodeWhoseHeartbeatStoppedIsNotOffered() throws Exception {
        fx.clock.catchUp();
        b.runtime().membership().beat();
        fx.clock.advance(NodeMembership.ALIVE.plusSeconds(1));

        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        assertEquals(List.of(), c.server().gateways());
    }

    @Test
    void aRestartingNodeLeavesTheOtherNodesSetupAlone() throws Exception {
        // authenticated through node-b, which has not sent the client config yet
        Key clientKey = Keys.generatePrivate();
        AuthChallenge challenge = b.flow()
                .requestConnection(
                        new dev.wirehaven.api.control.ConnectionRequest(
                                Keys.publicFrom(clientKey).toBase64(), null, "laptop"),
                        FlowFixture.SOURCE);
        SessionGrant grant = b.flow()
                .authenticate(
                        challenge.sessionId(),
                        new dev.wirehaven.api.control.AuthResponse("password", "alice", "correct horse", null, null),
                        FlowFixture.SOURCE);

        fx.restart();

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(grant.sessionId()).phase());
        assertTrue(fx.stored(grant.sessionId()).isOpen());
    }

    @Test
    void aChangeThatNeverReachedTheLogIsRepairedByTheFullReconciliation() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        try (Connection conn = fx.db.dataSource().getConnection();
                Statement s = conn.createStatement()) {
            s.execute("DELETE FROM cluster_changes");
        }
        b.runtime().feed().readOnce();
        assertTrue(b.peer(c.publicKey()).isEmpty(), "nothing in the log");

        fx.clock.advance(ClusterNode.FULL_SYNC);
        b.runtime().feed().readOnce();

        assertTrue(b.peer(c.publicKey()).isPresent());
    }

    @Test
    void oldChangesAreNotAppliedByANodeThatJoinsLater() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.flow().disconnect(c.sessionId(), c.token());
        long before = new ChangeRepository(fx.db.dataSource()).latestId();

        FlowFixture.Node late = fx.otherNode(Map.of("node.name", "node-c"));

        assertTrue(before >= 2, "a setup and a disconnect were logged");
        assertEquals(0, late.runtime().feed().readOnce());
        assertTrue(late.peer(c.publicKey()).isEmpty());
    }
}
