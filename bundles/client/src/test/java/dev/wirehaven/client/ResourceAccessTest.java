package dev.wirehaven.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.RecordingListener;
import dev.wirehaven.client.testing.ServerSide;
import dev.wirehaven.client.testing.TestTimebase;
import dev.wirehaven.wireguard.IpAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources asked for during the session (seed use case 2) through the SDK's connection, against the
 * canned control server: granted, denied, and behind a step-up that the client answers and then asks
 * again, once. The status interval is long, so that no status report's step-up answers beside the test.
 */
class ResourceAccessTest {

    private static final Instant UNTIL = Instant.parse("2026-12-03T14:03:00Z");

    @TempDir
    Path dir;

    private ServerSide wg;
    private FakeControlServer server;
    private WirehavenClient client;
    private final TestTimebase time = new TestTimebase(20);
    private MemoryPlatform platform;
    private final RecordingListener listener = new RecordingListener();
    /** The one-time code the connection's person would type, or null for none. */
    private volatile String code;

    private final AtomicInteger codesAsked = new AtomicInteger();

    private final CredentialPrompter prompter = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            return "secret".toCharArray();
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

    @BeforeEach
    void start() throws Exception {
        wg = new ServerSide();
        server = new FakeControlServer(wg);
        server.clock = time.clock();
        server.accessUntil = UNTIL;
        server.auth.oneTimeCode = "424242";
        server.auth.secondFactor = List.of();
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

    private Connection connect() throws IOException {
        return client.connect(
                ConnectOptions.forUser("alice")
                        .withStatusInterval(Duration.ofHours(1))
                        .withPolicyWait(Duration.ofSeconds(1))
                        .withListener(listener),
                prompter,
                platform);
    }

    @Test
    void aGrantedResourceComesBackWithItsAddressPortLapseAndReason() throws Exception {
        try (Connection c = connect()) {
            AccessGrant g = c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP);

            assertEquals(
                    new AccessGrant(
                            AccessProtocol.TCP, InetAddress.getByName("10.20.0.5"), 22, UNTIL, "rule acl:admin-ssh"),
                    g);
            assertEquals("10.20.0.5:22", g.target());
            assertEquals(List.of(new ResourceRequest("tcp", "10.20.0.5", 22)), server.accessRequests);
            assertTrue(
                    listener.events().stream()
                            .anyMatch(e -> e.message()
                                    .equals("Access granted: tcp 10.20.0.5:22 until " + UNTIL
                                            + " (rule acl:admin-ssh)")),
                    listener.events().toString());
        }
    }

    @Test
    void anIpv6AddressAndIcmpAreSentAsLiteralsInTheirCanonicalForm() throws Exception {
        try (Connection c = connect()) {
            AccessGrant udp = c.requestAccess("[FD00:0:0::5]", 53, AccessProtocol.UDP);
            AccessGrant icmp = c.requestAccess("10.20.0.9", 0, AccessProtocol.ICMP);

            assertEquals(
                    List.of(new ResourceRequest("udp", "fd00::5", 53), new ResourceRequest("icmp", "10.20.0.9", 0)),
                    server.accessRequests);
            assertEquals("[fd00::5]:53", udp.target());
            assertEquals("10.20.0.9", icmp.target());
        }
    }

    @Test
    void aNameIsResolvedHereAndTheServerIsSentAnAddress() throws Exception {
        // localhost is not routed by the tunnel: its first address is taken
        String expected = IpAddresses.format(InetAddress.getAllByName("localhost")[0]);
        try (Connection c = connect()) {
            c.requestAccess("localhost", 8080, AccessProtocol.TCP);

            assertEquals(expected, server.accessRequests.get(0).destination());
        }
    }

    @Test
    void aResourceBehindAStepUpIsAskedForAgainOnceTheFactorWasGiven() throws Exception {
        code = "424242";
        server.accessStepUps.set(1);
        try (Connection c = connect()) {
            AccessGrant g = c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP);

            assertEquals(UNTIL, g.until());
            assertEquals(2, server.accessRequests.size(), "asked, then asked again after the step-up");
            assertEquals(1, server.auth.stepUpResponses.size());
            assertEquals("424242", server.auth.stepUpResponses.get(0).oneTimeCode());
            assertEquals(1, codesAsked.get());
            assertEquals(
                    "Step-up done for access to tcp 10.20.0.5:22: the server accepted the further factor",
                    listener.awaitNth(Kind.STEP_UP_DONE, 1).message());
            assertEquals(ConnectionState.ACTIVE, c.status().state());
        }
    }

    @Test
    void aSecondStepUpRequiredAfterTheFactorWasGivenIsDeniedWithoutAskingAgain() throws Exception {
        code = "424242";
        server.accessStepUps.set(2);
        try (Connection c = connect()) {
            ClientException e =
                    assertThrows(ClientException.class, () -> c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP));

            assertEquals(ClientException.Reason.DENIED, e.reason());
            assertEquals(
                    "access to tcp 10.20.0.5:22 is not granted: the server asks for a further factor again after"
                            + " one was given (Access to tcp 10.20.0.5:22 needs one more factor)",
                    e.getMessage());
            assertEquals(2, server.accessRequests.size());
            assertEquals(1, server.auth.stepUpResponses.size(), "the factor was given once");
            assertEquals(1, codesAsked.get(), "the person was asked once");
            assertEquals(ConnectionState.ACTIVE, c.status().state(), "the tunnel stays up");
        }
    }

    @Test
    void aRefusedFactorEndsTheRequestWithTheServersAnswer() throws Exception {
        code = "000000";
        server.accessStepUps.set(1);
        try (Connection c = connect()) {
            ClientException e =
                    assertThrows(ClientException.class, () -> c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP));

            assertEquals(ClientException.Reason.AUTHENTICATION_FAILED, e.reason());
            assertEquals(
                    "access to tcp 10.20.0.5:22 needs a further factor, which was not given: the server refused the"
                            + " credentials of alice: the credentials were not accepted",
                    e.getMessage());
            assertEquals(1, server.accessRequests.size(), "not asked again without the factor");
            listener.awaitNth(Kind.STEP_UP_REFUSED, 1);
            assertEquals(ConnectionState.ACTIVE, c.status().state());
        }
    }

    @Test
    void theFactorIsAskedThroughTheGivenPrompterRatherThanTheConnections() throws Exception {
        server.accessStepUps.set(1);
        AtomicInteger asked = new AtomicInteger();
        CredentialPrompter elsewhere = new CredentialPrompter() {
            @Override
            public char[] password(URI s, String user) throws IOException {
                throw new IOException("not asked in this test");
            }

            @Override
            public String oneTimeCode(URI s, String user, String method) {
                asked.incrementAndGet();
                return "424242";
            }
        };
        try (Connection c = connect()) {
            AccessGrant g = c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP, elsewhere);

            assertEquals(UNTIL, g.until());
            assertEquals(1, asked.get());
            assertEquals(0, codesAsked.get(), "the connection's person was not asked");
        }
    }

    @Test
    void aDeniedResourceIsDeniedWithTheServersReason() throws Exception {
        server.accessDenied = "Access to tcp 10.20.0.5:22 is not allowed: no policy allows it";
        try (Connection c = connect()) {
            ClientException e =
                    assertThrows(ClientException.class, () -> c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP));

            assertEquals(ClientException.Reason.DENIED, e.reason());
            assertEquals(
                    "access to tcp 10.20.0.5:22 is refused (forbidden): Access to tcp 10.20.0.5:22 is not allowed:"
                            + " no policy allows it",
                    e.getMessage());
            assertEquals(0, codesAsked.get());
        }
    }

    @Test
    void aPortThatDoesNotFitTheProtocolIsRefusedBeforeAnythingIsSent() throws Exception {
        try (Connection c = connect()) {
            assertThrows(IllegalArgumentException.class, () -> c.requestAccess("10.20.0.5", 0, AccessProtocol.TCP));
            assertThrows(IllegalArgumentException.class, () -> c.requestAccess("10.20.0.5", 65536, AccessProtocol.UDP));
            assertThrows(IllegalArgumentException.class, () -> c.requestAccess("10.20.0.5", 7, AccessProtocol.ICMP));
            assertTrue(server.accessRequests.isEmpty());
        }
    }

    @Test
    void aClosedConnectionTakesNoRequests() throws Exception {
        Connection c = connect();
        c.close();

        ClientException e =
                assertThrows(ClientException.class, () -> c.requestAccess("10.20.0.5", 22, AccessProtocol.TCP));

        assertEquals(ClientException.Reason.CANCELLED, e.reason());
        assertTrue(server.accessRequests.isEmpty());
    }
}
