package dev.wirehaven.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.internal.supervise.ClientConnection;
import dev.wirehaven.client.testing.Eventually;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.Packets;
import dev.wirehaven.client.testing.RecordingListener;
import dev.wirehaven.client.testing.ServerSide;
import dev.wirehaven.client.testing.TestTimebase;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover without a new login: a cluster of gateway nodes that share their sessions (the fake's nodes
 * share one session table, one certificate, and each holds the peer of every session), and a client
 * whose gateway stops answering.
 *
 * <pre>
 *                             +-- [gw1] ServerSide A + FakeControlServer A (the server the client was made for)
 *   client MemoryPlatform ---- MemoryNetwork -- [gw2] ServerSide B + FakeControlServer B (same certificate, sessions)
 *                             +-- [gw3] ServerSide C + FakeControlServer C
 * </pre>
 *
 * <p>On a {@link TestTimebase} {@value #SPEEDUP} times faster than real time: the watch's half-second tick
 * is 100 ms, its probe 200 ms, the 2 s handshake wait of a gateway that does not answer 400 ms.
 */
class GatewayFailoverTest {

    /**
     * Slower than the other connection tests' 20: a gateway's handshake must complete within 2 s of the
     * timebase, which at 20x would be 100 ms of real time for a first handshake with a cold JIT on a busy
     * machine.
     */
    private static final int SPEEDUP = 5;

    @TempDir
    Path dir;

    private final MemoryNetwork network = new MemoryNetwork();
    private final List<ServerSide> wgs = new ArrayList<>();
    private final List<FakeControlServer> nodes = new ArrayList<>();
    private final TestTimebase time = new TestTimebase(SPEEDUP);
    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger passwordsAsked = new AtomicInteger();
    private WirehavenClient client;
    private MemoryPlatform platform;
    private Thread sender;
    private volatile boolean sending;

    private final CredentialPrompter prompter = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            passwordsAsked.incrementAndGet();
            return "secret".toCharArray();
        }

        @Override
        public String oneTimeCode(URI s, String user, String method) throws IOException {
            throw new IOException("no code in this test");
        }
    };

    @BeforeEach
    void start() {
        platform = new MemoryPlatform(network.factory(), ServerSide.OPTIONS);
    }

    /** A cluster of {@code n} nodes; the client is made for the first. */
    private void cluster(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            ServerSide wg = new ServerSide(network);
            wgs.add(wg);
            FakeControlServer node = i == 0 ? new FakeControlServer(wg) : new FakeControlServer(wg, nodes.get(0));
            if (i == 0) {
                node.clock = time.clock();
            }
            nodes.add(node);
        }
        client = WirehavenClient.builder(nodes.get(0).uri())
                .knownServers(dir.resolve("known_servers"))
                .timebase(time)
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        sending = false;
        if (sender != null) {
            sender.join();
        }
        if (client != null) {
            client.close();
        }
        nodes.forEach(FakeControlServer::close);
        wgs.forEach(ServerSide::close);
        time.close();
    }

    private ConnectOptions options() {
        return ConnectOptions.forUser("alice")
                .withDeviceName("test")
                .withStatusInterval(Duration.ofSeconds(1))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withPolicyWait(Duration.ofSeconds(1))
                .withListener(listener);
    }

    /** The application sends to the office every 10 ms (real time) and gets no answer: one-way traffic. */
    private void keepSending() {
        sending = true;
        byte[] packet = Packets.udp4("10.8.0.2", "192.168.10.5", "to the office".getBytes(StandardCharsets.UTF_8));
        sender = new Thread(() -> {
            try {
                while (sending) {
                    platform.tun().inject(packet);
                    Thread.sleep(10);
                }
            } catch (IOException | InterruptedException e) {
                // the tunnel is closed, or the test ends
            }
        });
        sender.setDaemon(true);
        sender.start();
    }

    /** Node {@code i} dies at once, as with {@code kill -9}: no more WireGuard answers, its port refuses. */
    private void kill(int i) {
        nodes.get(i).close();
        wgs.get(i).close();
    }

    private ConnectionEvent moved() throws InterruptedException {
        return listener.await(e -> e.kind() == Kind.INFO && e.message().startsWith("Moved from gateway"), 1);
    }

    @Test
    void movesToTheNextGatewayWhenItsGatewayStopsAnsweringAndKeepsSessionTokenAndAddress() throws Exception {
        cluster(2);
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            keepSending();
            // only the WireGuard side of gw1 dies: its control API still answers, so the watch must see it
            wgs.get(0).close();

            ConnectionEvent lost = listener.awaitNth(Kind.LOST, 1);
            assertTrue(lost.message().contains("stopped answering"), lost.message());
            String line = moved().message();
            assertTrue(
                    line.matches(
                            "Moved from gateway " + quote(wgs.get(0).endpoint().split(":")[0]) + " \\("
                                    + quote(wgs.get(0).endpoint()) + "\\) to gw2 \\("
                                    + quote(wgs.get(1).endpoint()) + "\\) after \\d+ ms without a new login"),
                    line);
            listener.awaitNth(Kind.CONNECTED, 2);

            assertEquals(ConnectionState.ACTIVE, c.status().state());
            assertEquals(session, c.status().sessionId(), "the same session");
            assertEquals(List.of("10.8.0.2/32"), c.status().addresses(), "the same address");
            assertEquals(1, passwordsAsked.get(), "no new login");
            assertEquals(1, nodes.get(0).requests.size(), "no new connection request");
            assertEquals(0, nodes.get(1).requests.size(), "no new connection request");
            assertEquals(wgs.get(1).host, c.status().endpoint().getAddress());
            Key key = ((ClientConnection) c).publicKey();
            // the responder counts its handshake once the first packet under the new keys arrived
            Eventually.until(
                    "the second gateway's handshake with the same key",
                    () -> wgs.get(1).handshakeDone(key));

            byte[] arrived = wgs.get(1).tun.poll(30, TimeUnit.SECONDS);
            assertTrue(
                    arrived != null && new String(arrived, StandardCharsets.UTF_8).endsWith("to the office"),
                    "the application's traffic goes through the second gateway");
            // the control calls go to the second gateway with the same session id and token (it checks both)
            Eventually.until(
                    "a status report to the second gateway",
                    () -> !nodes.get(1).reports.isEmpty());
            assertTrue(
                    nodes.get(1).calls.contains("POST /{id}/status"),
                    nodes.get(1).calls.toString());
            assertFalse(
                    nodes.get(1).calls.contains("POST /sessions"),
                    nodes.get(1).calls.toString());
        }
        Eventually.until(
                "the disconnect at the second gateway",
                () -> nodes.get(1).deletes.get() == 1);
        assertEquals(0, nodes.get(0).deletes.get(), "the disconnect goes where the session lives now");
    }

    @Test
    void aTunnelPlacedOnAnotherNodeTakesItsControlCallsThereSoTheLoginNodesLossCostsNothing() throws Exception {
        cluster(3);
        nodes.get(0).placeOn = nodes.get(1); // logged in through gw1, the tunnel goes to gw2
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            assertEquals(wgs.get(1).host, c.status().endpoint().getAddress(), "the tunnel is on gw2");
            Eventually.until(
                    "a status report to gw2", () -> !nodes.get(1).reports.isEmpty());
            keepSending();

            kill(0); // the node of the login dies; gw2 carries the tunnel and answers the calls
            int reports = nodes.get(1).reports.size();
            Eventually.until(
                    "three more status reports to gw2 after gw1 died",
                    () -> nodes.get(1).reports.size() >= reports + 3);
            assertFalse(
                    listener.events().stream().anyMatch(e -> e.kind() == Kind.LOST),
                    listener.events().toString());
            assertEquals(ConnectionState.ACTIVE, c.status().state());
            assertEquals(session, c.status().sessionId());
            assertEquals(wgs.get(1).host, c.status().endpoint().getAddress(), "still gw2");

            // and gw2's own loss is named after it, and moves the client to gw3
            kill(1);
            String line = moved().message();
            assertTrue(line.startsWith("Moved from gateway gw2 (" + wgs.get(1).endpoint() + ") to gw3 ("), line);
            assertEquals(1, passwordsAsked.get(), "no new login");
        }
    }

    @Test
    void aKilledGatewayIsLeftForTheFirstAlternativeThatAnswersInTheServersOrder() throws Exception {
        cluster(3);
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            kill(1); // gw2, the first alternative, is already gone
            kill(0); // then the gateway the client uses

            String line = moved().message();
            assertTrue(line.contains(" to gw3 ("), line);
            List<String> order = listener.events().stream()
                    .map(ConnectionEvent::message)
                    .filter(m -> m.startsWith("Gateway gw") || m.startsWith("Moved from"))
                    .toList();
            assertEquals(2, order.size(), order.toString());
            assertTrue(
                    order.get(0).startsWith("Gateway gw2 (" + wgs.get(1).endpoint() + ") did not answer a handshake"),
                    order.get(0));
            assertTrue(order.get(1)
                    .startsWith("Moved from gateway " + wgs.get(0).endpoint().split(":")[0] + " ("));
            listener.awaitNth(Kind.CONNECTED, 2);
            assertEquals(session, c.status().sessionId());
            assertEquals(1, passwordsAsked.get(), "no new login");
            Eventually.until(
                    "a status report to the third gateway",
                    () -> !nodes.get(2).reports.isEmpty());
        }
    }

    @Test
    void fallsBackToTheSingleServerRecoveryAndANewLoginOnlyWhenNoGatewayAnswers() throws Exception {
        cluster(2);
        Connection c = client.connect(options(), prompter, platform);
        try (c) {
            String first = c.status().sessionId();
            kill(1);
            keepSending();
            // gw0 forgets the peer (its control API and the session stay): its WireGuard no longer answers
            wgs.get(0).removePeer(((ClientConnection) c).publicKey());

            listener.await(e -> e.message().startsWith("Gateway gw2") && e.kind() == Kind.WARNING, 1);
            listener.await(
                    e -> e.message()
                            .startsWith("No other gateway answered; back to "
                                    + wgs.get(0).endpoint()),
                    1);
            listener.awaitNth(Kind.RETRYING, 1);
            assertEquals(1, passwordsAsked.get(), "no login while the session may still resume");
            assertEquals(1, nodes.get(0).requests.size());

            nodes.get(0).expire(first); // the single-server recovery now needs a new session, and gets one
            listener.awaitNth(Kind.CONNECTED, 2);
            assertEquals(2, passwordsAsked.get());
            assertEquals(2, nodes.get(0).requests.size(), "the new login went to the server the client was made for");
            assertFalse(first.equals(c.status().sessionId()));
            assertEquals(List.of("10.8.0.2/32"), c.status().addresses(), "the same address asked for and given");
            assertEquals(
                    0,
                    listener.events().stream()
                            .filter(e -> e.message().startsWith("Moved from"))
                            .count());
        }
    }

    @Test
    void aGatewayThatAnswersWithAnErrorIsNotLeft() throws Exception {
        cluster(2);
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            nodes.get(0).broken = true; // 500: its control API fails, its WireGuard answers
            assertTrue(listener.awaitNth(Kind.LOST, 1).message().contains("500 internal"));
            listener.awaitNth(Kind.RETRYING, 1);
            nodes.get(0).broken = false;

            listener.awaitNth(Kind.CONNECTED, 2);
            assertEquals(session, c.status().sessionId());
            assertEquals(wgs.get(0).host, c.status().endpoint().getAddress(), "still the first gateway");
            assertFalse(listener.events().stream().anyMatch(e -> e.message().startsWith("Moved from")));
            assertTrue(nodes.get(1).calls.isEmpty(), "nothing was asked of the second gateway");
        }
    }

    @Test
    void aPolicyUpdateReplacesTheGatewaysWithoutMovingTheTunnel() throws Exception {
        cluster(3);
        nodes.get(0).gateways = List.of(nodes.get(0).otherNodes().get(0)); // at first only gw2 is named
        try (Connection c = client.connect(options(), prompter, platform)) {
            Gateway third = nodes.get(0).otherNodes().get(1);
            nodes.get(0)
                    .pushPolicy(
                            c.status().sessionId(),
                            new PolicyUpdate(2, List.of("192.168.10.0/24"), List.of(), 25, null, List.of(third)));
            Eventually.until("the acknowledgement", () -> !nodes.get(0).acks.isEmpty());
            assertTrue(
                    nodes.get(0).acks.get(0).applied(), nodes.get(0).acks.get(0).detail());
            assertEquals(wgs.get(0).host, c.status().endpoint().getAddress(), "the tunnel stays where it is");

            kill(0);
            String line = moved().message();
            assertTrue(line.contains(" to gw3 ("), "gw2 left the list, gw3 joined it: " + line);
        }
    }

    @Test
    void aHostileGatewayListInTheServerConfigIsRefusedBeforeAnythingReachesTheHost() throws Exception {
        cluster(2);
        Gateway honest = nodes.get(0).otherNodes().get(0);
        List<UnaryOperator<ObjectNode>> hostile = List.of(
                c -> gateways(c, 17, honest, null, null), // more than 16
                c -> gateways(c, 1, honest, "name", "gw\u001b[2J\u202e"),
                c -> gateways(c, 1, honest, "publicKey", "AAAA"),
                c -> gateways(c, 1, honest, "endpoint", "2001:db8::1:51820"),
                c -> gateways(c, 1, honest, "controlUrl", "http://127.0.0.1:1"),
                c -> gateways(c, 2, honest, null, null)); // the same gateway twice
        List<String> why = List.of(
                "more than 16",
                "control characters",
                "not a 32-byte key",
                "not host:port",
                "not an https URL",
                "twice");
        for (int i = 0; i < hostile.size(); i++) {
            nodes.get(0).serverConfigEdit = hostile.get(i);
            ClientException e = assertThrows(
                    ClientException.class,
                    () -> client.connect(options(), prompter, platform).close());
            assertEquals(ClientException.Reason.REFUSED, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(why.get(i)), e.getMessage());
            assertNull(platform.tun(), "no tunnel was opened");
            assertNull(platform.settings(), "nothing was asked of the host");
        }
    }

    @Test
    void aPolicyUpdateWithAHostileGatewayListIsNotAppliedAtAll() throws Exception {
        cluster(2);
        try (Connection c = client.connect(options(), prompter, platform)) {
            Gateway g = nodes.get(0).otherNodes().get(0);
            nodes.get(0)
                    .pushPolicy(
                            c.status().sessionId(),
                            new PolicyUpdate(2, List.of("172.16.0.0/16"), List.of(), 25, null, List.of(g, g)));
            Eventually.until("the acknowledgement", () -> !nodes.get(0).acks.isEmpty());
            assertFalse(nodes.get(0).acks.get(0).applied());
            assertTrue(
                    nodes.get(0).acks.get(0).detail().contains("twice"),
                    nodes.get(0).acks.get(0).detail());
            assertFalse(
                    platform.settings().routes().toString().contains("172.16.0.0"),
                    "the routes of a refused update are not applied either");
        }
    }

    /** The server config with {@code n} copies of {@code g}, the first with {@code field} set to {@code value}. */
    private static ObjectNode gateways(ObjectNode config, int n, Gateway g, String field, String value) {
        ArrayNode a = config.putArray("gateways");
        for (int i = 0; i < n; i++) {
            ObjectNode e = a.addObject();
            e.put("name", g.name());
            e.put("endpoint", g.endpoint());
            e.put("publicKey", g.publicKey());
            e.put("controlUrl", g.controlUrl());
            if (i == 0 && field != null) {
                e.put(field, value);
            }
        }
        return config;
    }

    private static String quote(String s) {
        return java.util.regex.Pattern.quote(s);
    }
}
