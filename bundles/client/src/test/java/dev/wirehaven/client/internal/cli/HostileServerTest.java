package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.ServerSide;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server under someone else's control answers the client with what no honest server sends. For each
 * answer the client refuses with a message that says what it refused, the message as the command line
 * renders it holds no control or bidi character, and nothing reached the host: no tunnel was opened
 * and no address, route or DNS change was asked of the platform.
 *
 * <pre>
 *   client (WirehavenClient, MemoryPlatform: records what it is asked)
 *      \__ HTTPS (loopback) __ FakeControlServer with a hostile hook __ ServerSide (WireGuard peer)
 * </pre>
 *
 * The server's real right stays: a full tunnel (0.0.0.0/0) for a client that may have hoped for a split
 * one is accepted.
 */
class HostileServerTest {

    @TempDir
    Path dir;

    private ServerSide wg;
    private FakeControlServer server;
    private WirehavenClient client;
    private MemoryPlatform platform;

    private final CredentialPrompter prompter = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            return "secret".toCharArray();
        }

        @Override
        public String oneTimeCode(URI s, String user, String method) throws IOException {
            throw new IOException("no code in this test");
        }
    };

    @BeforeEach
    void start() throws Exception {
        wg = new ServerSide();
        server = new FakeControlServer(wg);
        client = WirehavenClient.builder(server.uri())
                .knownServers(dir.resolve("known_servers"))
                .build();
        platform = new MemoryPlatform(wg.network.factory(), ServerSide.OPTIONS);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        wg.close();
    }

    private ConnectOptions options() {
        return ConnectOptions.forUser("alice")
                .withDeviceName("test")
                .withStatusInterval(Duration.ofSeconds(1))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withPolicyWait(Duration.ofSeconds(1));
    }

    /** Connects against the hostile answer; returns the refusal after checking that the host was left alone. */
    private ClientException refused() {
        ClientException e = assertThrows(
                ClientException.class,
                () -> client.connect(options(), prompter, platform).close());
        assertNothingChanged();
        assertNoControlCharacters(SafeText.of(e.getMessage()));
        return e;
    }

    private void assertNothingChanged() {
        assertNull(platform.tun(), "no tunnel was opened");
        assertNull(platform.settings(), "no address, route or DNS change was asked for");
    }

    private static void assertNoControlCharacters(String rendered) {
        rendered.codePoints()
                .forEach(c ->
                        assertFalse(SafeText.unsafe(c), () -> String.format("U+%04X printed in: %s", c, rendered)));
    }

    /** The server refuses the password with {@code message}. */
    private void refuseCredentials(String message) {
        server.auth.password = "not the one the client has";
        server.auth.refusalMessage = message;
    }

    private void serverConfig(UnaryOperator<ObjectNode> edit) {
        server.serverConfigEdit = edit;
    }

    private void routes(String... routes) {
        serverConfig(c -> {
            ArrayNode a = c.putArray("routes");
            for (String r : routes) {
                a.add(r);
            }
            return c;
        });
    }

    private void dns(String... entries) {
        serverConfig(c -> {
            ArrayNode a = c.putArray("dns");
            for (String d : entries) {
                a.add(d);
            }
            return c;
        });
    }

    private void assertRefusedNaming(String what) {
        ClientException e = refused();
        assertEquals(ClientException.Reason.REFUSED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    // ---- sizes ----

    @Test
    void refusesAnAnswerBodyOverOneMebibyteWithoutReadingItAll() {
        long total = 256L * 1024 * 1024;
        server.hugeAnswerBytes = total;
        ClientException e = refused();
        assertTrue(e.getMessage().contains("more than 1 MiB"), e.getMessage());
        // the client hung up: the server could not write the whole answer (socket buffers hold a few MiB at most)
        assertTrue(server.hugeBytesWritten.get() < total / 4, "written: " + server.hugeBytesWritten.get());
    }

    @Test
    void refusesAnAnswerThatAnnouncesMoreThanOneMebibyteBeforeReadingIt() {
        long total = 256L * 1024 * 1024;
        server.hugeAnswerBytes = total;
        server.hugeAnswerAnnounced = true;
        ClientException e = refused();
        assertTrue(e.getMessage().contains("more than 1 MiB"), e.getMessage());
        assertTrue(server.hugeBytesWritten.get() < total / 4, "written: " + server.hugeBytesWritten.get());
    }

    @Test
    void cutsAnOverlongServerMessageInsteadOfCarryingItWhole() {
        refuseCredentials("no ".repeat(40_000));
        ClientException e = refused();
        assertTrue(
                e.getMessage().length() < 2_000, "message of " + e.getMessage().length() + " characters");
    }

    // ---- control and bidi characters ----

    @Test
    void rendersControlAndBidiCharactersOfAServerMessageVisibly() {
        refuseCredentials("denied\u001b[2J\u001b]0;owned\u0007 \u202Eexe.tnemucod");
        ClientException e = refused();
        String rendered = SafeText.of(e.getMessage());
        assertTrue(rendered.contains("<U+001B>[2J") && rendered.contains("<U+202E>"), rendered);
    }

    @Test
    void refusesABidiCharacterInADnsSearchDomain() {
        dns("10.8.0.1", "corp\u202Eelpmaxe");
        assertRefusedNaming("<U+202E>");
    }

    @Test
    void refusesADnsSearchDomainLongerThanADnsName() {
        dns("a".repeat(64) + ".example");
        assertRefusedNaming("search domain");
    }

    // ---- routes ----

    @Test
    void refusesALinkLocalRoute() {
        routes("169.254.0.0/16");
        assertRefusedNaming("169.254.0.0/16");
    }

    @Test
    void refusesAnIpv6LinkLocalRoute() {
        routes("fe80::/10");
        assertRefusedNaming("fe80::/10");
    }

    @Test
    void refusesAMulticastRoute() {
        routes("224.0.0.0/4");
        assertRefusedNaming("224.0.0.0/4");
    }

    @Test
    void refusesAnIpv6MulticastRoute() {
        routes("ff02::/16");
        assertRefusedNaming("ff02::/16");
    }

    @Test
    void refusesARouteToTheClientsOwnTunnelAddress() {
        routes("10.8.0.2/32");
        assertRefusedNaming("10.8.0.2/32");
    }

    @Test
    void refusesAPrefixWithHostBitsSet() {
        routes("192.168.10.7/24");
        assertRefusedNaming("192.168.10.7/24");
    }

    @Test
    void refusesAPrefixLengthOutOfRange() {
        routes("192.168.10.0/33");
        assertRefusedNaming("192.168.10.0/33");
    }

    @Test
    void acceptsAFullTunnelForAClientThatHopedForASplitOne() throws Exception {
        routes("0.0.0.0/0");
        try (Connection c = client.connect(options(), prompter, platform)) {
            assertNotNull(platform.tun());
            assertTrue(platform.settings().fullTunnel(), "the server's right: " + platform.settings());
        }
    }

    // ---- DNS servers ----

    @Test
    void refusesAMulticastDnsServer() {
        dns("224.0.0.251");
        assertRefusedNaming("224.0.0.251");
    }

    @Test
    void refusesALinkLocalDnsServer() {
        dns("fe80::1");
        assertRefusedNaming("fe80::1");
    }

    @Test
    void refusesALoopbackDnsServer() {
        dns("127.0.0.1");
        assertRefusedNaming("127.0.0.1");
    }

    // ---- MTU ----

    @Test
    void refusesAnMtuBelowTheIpv6Minimum() {
        serverConfig(c -> c.put("mtu", 576));
        assertRefusedNaming("576");
    }

    @Test
    void refusesAnMtuAboveTheLargestPacket() {
        serverConfig(c -> c.put("mtu", 70_000));
        assertRefusedNaming("70000");
    }

    @Test
    void refusesMoreRoutesThanItWillInstall() {
        String[] many = new String[5000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10." + (i / 256) + "." + (i % 256) + ".0/24";
        }
        routes(many);
        assertRefusedNaming("routes");
    }

    @Test
    void refusesAnInterfaceNameThatLinuxWouldCutOrRefuse() {
        // the interface name is the client's (options, command line), never the server's; checked before use
        for (String name : List.of("wirehaven-tunnel", "wg\u202E0", "wg 0", "../../x", "")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> options().withInterfaceName(name), name);
            assertNoControlCharacters(e.getMessage());
        }
        assertNothingChanged();
    }
}
