package dev.wirehaven.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.testing.Eventually;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.Packets;
import dev.wirehaven.client.testing.RecordingListener;
import dev.wirehaven.client.testing.ServerSide;
import dev.wirehaven.client.testing.TestTimebase;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's whole connection against the canned control server, with two real WireGuard devices:
 *
 * <pre>
 *   client MemoryTun -- client device --- MemoryNetwork --- server device (ServerSide) -- server MemoryTun
 *                        \__ HTTPS (loopback) __ FakeControlServer: adds/removes the client as peer __/
 * </pre>
 *
 * <p>The connection runs on a {@link TestTimebase} {@value #SPEEDUP} times faster than real time, the
 * fake server's session lifetimes on the same clock: a 1 s status interval is 50 ms, a 5 s
 * diagnosis probe 250 ms, and a test that needs an hour to pass moves the clock by an hour.
 */
class ConnectionTest {

    private static final int SPEEDUP = 20;

    @TempDir
    Path dir;

    private ServerSide wg;
    private FakeControlServer server;
    private WirehavenClient client;
    private final TestTimebase time = new TestTimebase(SPEEDUP);
    private MemoryPlatform platform;
    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger passwordsAsked = new AtomicInteger();
    private volatile String password = "secret";
    /** The one-time code the person would type, or null for none. */
    private volatile String code;

    private final AtomicInteger codesAsked = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        wg = new ServerSide();
        server = new FakeControlServer(wg);
        server.clock = time.clock();
        client = WirehavenClient.builder(server.uri())
                .knownServers(dir.resolve("known_servers"))
                .timebase(time)
                .build();
        platform = new MemoryPlatform(wg.network.factory(), ServerSide.OPTIONS);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        wg.close();
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

    private final CredentialPrompter prompter = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            passwordsAsked.incrementAndGet();
            return password.toCharArray();
        }

        @Override
        public String oneTimeCode(URI s, String user, String method) throws IOException {
            codesAsked.incrementAndGet();
            if (code == null) {
                throw new IOException("no code in this test");
            }
            return code;
        }
    };

    @Test
    void connectsOnlyOnceTheFirstHandshakeCompletedAndCarriesPacketsBothWays() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            ConnectionStatus s = c.status();
            assertEquals(ConnectionState.ACTIVE, s.state());
            assertEquals(SessionPhase.ACTIVE, s.phase());
            assertEquals(List.of("10.8.0.2/32"), s.addresses());
            assertTrue(s.handshakeAgeSeconds() >= 0);
            assertEquals(
                    "Connected: 10.8.0.2/32 via " + wg.endpoint(),
                    listener.awaitNth(Kind.CONNECTED, 1).message());
            assertEquals(
                    List.of(
                            "POST /sessions",
                            "POST /{id}/auth",
                            "GET /{id}/server-config",
                            "PUT /{id}/client-config",
                            "POST /{id}/confirm"),
                    server.calls.subList(0, 5));

            byte[] out = Packets.udp4("10.8.0.2", "192.168.10.5", "to the office".getBytes(StandardCharsets.UTF_8));
            platform.tun().inject(out);
            assertArrayEquals(out, wg.tun.poll(30, TimeUnit.SECONDS));

            byte[] back = Packets.udp4("192.168.10.5", "10.8.0.2", "back".getBytes(StandardCharsets.UTF_8));
            wg.tun.inject(back);
            assertArrayEquals(back, platform.tun().poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void theHostNetworkGetsTheServersRoutesDnsAndKeepsTheServerOutside() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            NetworkSettings s = platform.settings();
            assertEquals(List.of(Cidr.parse("10.8.0.0/24"), Cidr.parse("192.168.10.0/24")), s.routes());
            assertEquals(List.of(InetAddress.getByName("10.8.0.1")), s.dnsServers());
            assertEquals(List.of("corp.example"), s.searchDomains());
            assertEquals(1420, s.mtu());
            assertTrue(s.keepOutside().contains(wg.host), s.keepOutside().toString());
            assertTrue(s.keepOutside().contains(InetAddress.getByName("127.0.0.1")), "the control API's address too");
            assertEquals(List.of("10.8.0.2/32"), c.status().addresses(), "the addresses the host network got");
        }
    }

    @Test
    void statusReportsCarryTheDevicesCountersAndTheLastRoundTrip() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            Eventually.until(
                    "a report with traffic and a latency",
                    () -> server.reports.stream()
                            .anyMatch(r -> r.txBytes() > 0
                                    && r.rxBytes() > 0
                                    && r.handshakeAgeSeconds() >= 0
                                    && r.latencyMillis() >= 0));
            assertEquals(-1, server.reports.get(0).latencyMillis(), "no round trip measured before the first report");
            assertTrue(c.status().latencyMillis() >= 0);
        }
    }

    @Test
    void aPolicyUpdateIsAppliedToDeviceAndHostThenAcknowledged() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            Instant reauthBy = time.clock().instant().plus(Duration.ofHours(1));
            server.pushPolicy(
                    c.status().sessionId(),
                    new PolicyUpdate(7, List.of("172.16.0.0/16"), List.of("10.8.0.53", "lab.example"), 15, reauthBy));

            Eventually.until("the acknowledgement", () -> !server.acks.isEmpty());
            assertEquals(7, server.acks.get(0).version());
            assertTrue(server.acks.get(0).applied(), server.acks.get(0).detail());
            assertEquals(
                    List.of(Cidr.parse("172.16.0.0/16"), Cidr.parse("10.8.0.0/24")),
                    platform.settings().routes());
            assertEquals(
                    List.of(InetAddress.getByName("10.8.0.53")),
                    platform.settings().dnsServers());
            assertEquals(List.of("lab.example"), platform.settings().searchDomains());
            PeerSnapshot peer = ((dev.wirehaven.client.internal.supervise.ClientConnection) c)
                    .tunnel()
                    .server()
                    .orElseThrow();
            assertEquals(15, peer.persistentKeepaliveSeconds());
            assertEquals(
                    java.util.Set.of(Cidr.parse("172.16.0.0/16"), Cidr.parse("10.8.0.0/24")),
                    java.util.Set.copyOf(peer.allowedIps()));
            assertEquals(7, c.status().policyVersion());
        }
    }

    @Test
    void aPolicyThatCannotBeAppliedIsAcknowledgedAsNotApplied() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            server.pushPolicy(
                    c.status().sessionId(), new PolicyUpdate(3, List.of("not-a-prefix"), List.of(), 25, null));
            Eventually.until("the acknowledgement", () -> !server.acks.isEmpty());
            assertEquals(false, server.acks.get(0).applied());
            assertTrue(
                    server.acks.get(0).detail().contains("not-a-prefix"),
                    server.acks.get(0).detail());
            assertEquals(ConnectionState.ACTIVE, c.status().state());
        }
    }

    @Test
    void whileTheSessionIsValidAReconnectResumesWithoutAuthenticatingAgain() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            server.broken = true;
            assertTrue(listener.awaitNth(Kind.LOST, 1).message().contains("500 internal"));
            listener.awaitNth(Kind.RETRYING, 1);
            server.broken = false;

            assertEquals(
                    "Connected: 10.8.0.2/32 via " + wg.endpoint(),
                    listener.awaitNth(Kind.CONNECTED, 2).message());
            assertEquals(session, c.status().sessionId());
            assertEquals(1, server.requests.size(), "no new connection request");
            assertEquals(1, passwordsAsked.get(), "no new authentication");
            assertTrue(
                    listener.events().stream()
                            .anyMatch(e -> e.kind() == Kind.DIAGNOSIS
                                    && e.message().startsWith("Control API: TCP to 127.0.0.1:")),
                    listener.events().toString());
        }
    }

    @Test
    void aServerWhoseStoreIsAwayKeepsTheConnectionActiveWhileItsTunnelWorks() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            server.unavailable = true; // 503 with Retry-After: 5, as the server answers while its store is away
            ConnectionEvent warned = listener.await(
                    e -> e.kind() == Kind.WARNING && e.message().contains("cannot answer the status report now"), 1);
            assertTrue(warned.message().contains("503 unavailable"), warned.message());
            assertTrue(warned.message().contains("asking again in 5 s"), warned.message());
            int reports = server.reports.size();
            server.unavailable = false;

            Eventually.until("status reports again", () -> server.reports.size() > reports);
            assertEquals(ConnectionState.ACTIVE, c.status().state());
            assertTrue(
                    listener.events().stream().noneMatch(e -> e.kind() == Kind.LOST),
                    listener.events().toString());
        }
    }

    @Test
    void afterTheSessionExpiredANewOneIsMadeWithTheSameKeyAndAddress() throws Exception {
        try (Connection c = client.connect(options(), prompter, platform)) {
            String first = c.status().sessionId();
            server.expire(first);

            assertTrue(listener.awaitNth(Kind.LOST, 1).message().contains("401 expired"));
            listener.awaitNth(Kind.CONNECTED, 2);
            List<ConnectionRequest> requests = server.requests;
            assertEquals(2, requests.size());
            assertEquals(requests.get(0).publicKey(), requests.get(1).publicKey(), "the same keys");
            assertEquals("10.8.0.2", requests.get(1).requestedAddress(), "the same address asked for");
            assertEquals(List.of("10.8.0.2/32"), c.status().addresses());
            assertTrue(!first.equals(c.status().sessionId()));
            assertEquals(2, passwordsAsked.get());

            byte[] out = Packets.udp4("10.8.0.2", "192.168.10.5", new byte[] {1, 2, 3});
            platform.tun().inject(out);
            assertArrayEquals(out, wg.tun.poll(30, TimeUnit.SECONDS), "the tunnel works with the new session's key");
        }
    }

    @Test
    void credentialsRefusedWhileReconnectingEndTheConnectionWithTheReason() throws Exception {
        Connection c = client.connect(options(), prompter, platform);
        password = "changed";
        server.expire(c.status().sessionId());

        assertTrue(c.awaitClosed(Duration.ofSeconds(60)));
        assertEquals(ConnectionState.CLOSED, c.status().state());
        ClientException failure = c.failure().orElseThrow();
        assertEquals(ClientException.Reason.AUTHENTICATION_FAILED, failure.reason());
        assertTrue(listener.awaitNth(Kind.CLOSED, 1)
                .message()
                .startsWith("Disconnected: the server refused the credentials"));
        assertTrue(platform.tun().isClosed());
    }

    @Test
    void theSessionIsRenewedBeforeItExpires() throws Exception {
        server.lifetime = Duration.ofHours(1);
        try (Connection c = client.connect(options(), prompter, platform)) {
            Instant firstExpiry = c.status().expiresAt();
            time.advance(Duration.ofMinutes(50)); // re-authentication is due 10 min before the expiry
            Eventually.until("a re-authentication", () -> server.reauthentications.get() >= 1);
            Eventually.until("the new expiry", () -> c.status().expiresAt().isAfter(firstExpiry));
            assertEquals(1, server.requests.size(), "the same session, renewed");
            assertEquals(ConnectionState.ACTIVE, c.status().state());
        }
    }

    @Test
    void closeEndsTheSessionRemovesThePeerAndTakesTheTunnelDown() throws Exception {
        Connection c = client.connect(options(), prompter, platform);
        var session = server.liveSession();
        assertNotNull(wg.peer(session.clientKey));

        c.close();

        assertEquals(1, server.deletes.get());
        assertEquals(SessionPhase.DISCONNECTED, session.phase);
        assertNull(wg.peer(session.clientKey), "the server removed the peer");
        assertTrue(platform.tun().isClosed());
        assertEquals(ConnectionState.CLOSED, c.status().state());
        assertTrue(c.failure().isEmpty());
        c.close();
        assertEquals(1, server.deletes.get(), "close is idempotent");
    }

    @Test
    void aFailedFlowLeavesNothingBehind() throws Exception {
        server.endpointOverride = "unreachable.invalid:51820";
        ClientException e = assertThrows(ClientException.class, () -> client.connect(options(), prompter, platform));
        assertEquals(ClientException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains("unreachable.invalid:51820 does not resolve"), e.getMessage());
        assertEquals(1, server.deletes.get(), "the session was ended");
        assertNull(platform.tun(), "no tunnel was made");
    }

    @Test
    void noHandshakeWithinTheSetupTimeoutFailsAndSaysWhy() throws Exception {
        wg.network.dropAll(true);
        ClientException e = assertThrows(
                ClientException.class,
                () -> client.connect(options().withSetupTimeout(Duration.ofSeconds(1)), prompter, platform));
        assertEquals(ClientException.Reason.TUNNEL_FAILED, e.reason());
        assertTrue(
                e.getMessage().startsWith("no WireGuard handshake with " + wg.endpoint() + " within 1 s"),
                e.getMessage());
        assertTrue(platform.tun().isClosed(), "the tunnel was taken down again");
        assertEquals(1, server.deletes.get());
        assertTrue(Arrays.asList(server.calls.toArray()).contains("POST /{id}/confirm"));
    }

    // ---- step-up: a policy asks the live session for one more factor ----

    private static final List<MethodPrompt> STEP_UP =
            List.of(new MethodPrompt("totp", CredentialKind.ONE_TIME_CODE, "Code for the admin network"));

    @Test
    void aStepUpIsAnsweredDuringTheLiveSessionWithoutTearingTheTunnelDown() throws Exception {
        server.auth.oneTimeCode = "424242";
        server.auth.secondFactor = List.of();
        code = "424242";
        try (Connection c = client.connect(options(), prompter, platform)) {
            String session = c.status().sessionId();
            server.auth.stepUp = STEP_UP;

            assertEquals(
                    "Step-up done: the server accepted the further factor",
                    listener.awaitNth(Kind.STEP_UP_DONE, 1).message());
            AuthResponse answer = server.auth.stepUpResponses.get(0);
            assertEquals("totp", answer.method());
            assertEquals("424242", answer.oneTimeCode());
            assertEquals(List.of(), server.auth.stepUp, "the server has what it asked for");
            assertTrue(
                    listener.events().stream()
                            .anyMatch(e -> e.message()
                                    .equals("The server asks for one more factor for this session (step-up):"
                                            + " totp (Code for the admin network)")),
                    listener.events().toString());
            assertEquals(ConnectionState.ACTIVE, c.status().state());
            assertEquals(session, c.status().sessionId());
            assertEquals(1, server.requests.size(), "the same session");
            assertEquals(0, server.deletes.get());
            assertTrue(listener.events().stream().noneMatch(e -> e.kind() == Kind.LOST));

            byte[] out = Packets.udp4("10.8.0.2", "192.168.10.5", new byte[] {4, 5, 6});
            platform.tun().inject(out);
            assertArrayEquals(out, wg.tun.poll(30, TimeUnit.SECONDS), "the tunnel carried on");
        }
    }

    @Test
    void aRefusedStepUpIsReportedKeepsTheTunnelAndIsAnsweredAgainOnlyWhenAskedAgain() throws Exception {
        server.auth.oneTimeCode = "424242";
        server.auth.secondFactor = List.of();
        code = "000000";
        try (Connection c = client.connect(options(), prompter, platform)) {
            server.auth.stepUp = STEP_UP;

            ConnectionEvent refused = listener.awaitNth(Kind.STEP_UP_REFUSED, 1);
            assertTrue(
                    refused.message()
                            .startsWith("Step-up not given: the server refused the credentials of alice: the"
                                    + " credentials were not accepted. The tunnel stays up"),
                    refused.message());
            int reports = server.reports.size();
            Eventually.until("three more status reports", () -> server.reports.size() >= reports + 3);
            assertEquals(1, server.auth.stepUpResponses.size(), "the same request is not answered again");
            assertEquals(1, codesAsked.get(), "nor is the person asked again");
            assertEquals(ConnectionState.ACTIVE, c.status().state());
            assertNotNull(platform.tun());
            assertTrue(!platform.tun().isClosed());

            server.auth.stepUp = List.of();
            int after = server.reports.size();
            Eventually.until("a report without the step-up", () -> server.reports.size() >= after + 2);
            code = "424242";
            server.auth.stepUp = STEP_UP;
            listener.awaitNth(Kind.STEP_UP_DONE, 1);
            assertEquals(2, server.auth.stepUpResponses.size());
        }
    }
}
