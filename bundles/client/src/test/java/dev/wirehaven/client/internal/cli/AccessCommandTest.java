package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.client.testing.ServerSide;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirehaven-client access} in another shell, reaching the session of a running connection (the
 * SDK's, on an in-memory tunnel, as {@code connect} holds it) through its state file and its access
 * socket:
 *
 * <pre>
 *   access command (CliTestIo) -- &lt;run&gt;/wh0.access -- AccessSocket -- Connection -- HTTPS -- FakeControlServer
 * </pre>
 */
class AccessCommandTest {

    private static final Instant UNTIL = Instant.parse("2026-12-03T14:03:00Z");

    @TempDir
    Path dir;

    private ServerSide wg;
    private FakeControlServer server;
    private WirehavenClient client;
    private Connection connection;
    private AccessSocket socket;
    private final List<String> connectOutput = Collections.synchronizedList(new ArrayList<>());

    /** The connect process's own person, who is never asked for a code here: the command's person is. */
    private final CredentialPrompter connectPrompter = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            return "secret".toCharArray();
        }

        @Override
        public String oneTimeCode(URI s, String user, String method) throws IOException {
            throw new IOException("the connect process's terminal was asked");
        }
    };

    @BeforeEach
    void connect() throws Exception {
        wg = new ServerSide();
        server = new FakeControlServer(wg);
        server.accessUntil = UNTIL;
        server.auth.oneTimeCode = "424242";
        server.auth.secondFactor = List.of();
        client = WirehavenClient.builder(server.uri())
                .knownServers(dir.resolve("known_servers"))
                .build();
        connection = client.connect(
                ConnectOptions.forUser("alice").withStatusInterval(Duration.ofHours(1)),
                connectPrompter,
                new MemoryPlatform(wg.network.factory(), ServerSide.OPTIONS));
        socket = AccessSocket.start(AccessSocket.path(runFiles(), "wh0"), connection, connectOutput::add);
        writeState(ProcessHandle.current().pid());
    }

    @AfterEach
    void disconnect() {
        if (socket != null) {
            socket.close();
        }
        connection.close();
        client.close();
        server.close();
        wg.close();
    }

    /** The run directory with this namespace's files. */
    private RunDirectory runFiles() {
        return RunDirectory.of(run());
    }

    private Path run() {
        return dir.resolve("run");
    }

    private CliTestIo io(String stdin) {
        return new CliTestIo(stdin, run(), dir.resolve("uapi"), dir.resolve("config"));
    }

    @Test
    void aGrantIsPrintedWithItsLapseInUtcAndTheServersReason() {
        CliTestIo t = io("");

        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io), t.err());

        assertEquals("Granted tcp 10.8.0.7:22 until 2026-12-03 14:03:00 UTC (rule acl:admin-ssh)\n", t.out());
        assertEquals(List.of(new ResourceRequest("tcp", "10.8.0.7", 22)), server.accessRequests);
        assertTrue(
                connectOutput.contains("Access to tcp 10.8.0.7:22 asked for by 'wirehaven-client access'"),
                connectOutput.toString());
    }

    @Test
    void udpIcmpAndIpv6ResourcesAreAskedForAndPrintedAsSuch() {
        CliTestIo udp = io("");
        CliTestIo icmp = io("");
        CliTestIo v6 = io("");

        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.53:53", "--udp"}, udp.io), udp.err());
        assertEquals(0, ClientCommand.run(new String[] {"access", "--icmp", "10.8.0.1"}, icmp.io), icmp.err());
        assertEquals(0, ClientCommand.run(new String[] {"access", "[FD00::0:5]:443"}, v6.io), v6.err());

        assertEquals(
                List.of(
                        new ResourceRequest("udp", "10.8.0.53", 53),
                        new ResourceRequest("icmp", "10.8.0.1", 0),
                        new ResourceRequest("tcp", "fd00::5", 443)),
                server.accessRequests);
        assertTrue(udp.out().startsWith("Granted udp 10.8.0.53:53 until "), udp.out());
        assertTrue(icmp.out().startsWith("Granted icmp 10.8.0.1 until "), icmp.out());
        assertTrue(v6.out().startsWith("Granted tcp [fd00::5]:443 until "), v6.out());
    }

    @Test
    void theServersTextIsPrintedWithItsControlAndBidiCharactersEscaped() {
        server.accessReason = "rule \u001b[2Jacl:admin-ssh\u202e";
        CliTestIo t = io("");

        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io), t.err());

        assertEquals(
                "Granted tcp 10.8.0.7:22 until 2026-12-03 14:03:00 UTC (rule <U+001B>[2Jacl:admin-ssh<U+202E>)\n",
                t.out());
    }

    @Test
    void aRefusalPrintsTheServersMessageEscapedAndExitsWith4() {
        server.accessDenied = "no rule allows it\u001b]0;pwned\u0007";
        CliTestIo t = io("");

        assertEquals(4, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io));

        assertEquals("", t.out());
        assertEquals(
                "wirehaven-client access: access to tcp 10.8.0.7:22 is refused (forbidden): no rule allows"
                        + " it<U+001B>]0;pwned<U+0007>\n",
                t.err());
        assertFalse(t.err().contains("\u001b"));
    }

    @Test
    void aStepUpIsAskedOfThisCommandsPersonAndTheResourceAskedForAgain() {
        server.accessStepUps.set(1);
        FakeTerminal person = new FakeTerminal("424242");
        CliTestIo t = new CliTestIo("", person, run(), dir.resolve("uapi"), dir.resolve("config"));

        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io), t.err());

        assertEquals(
                List.of("Code for the admin network for alice at 127.0.0.1:"
                        + server.uri().getPort() + ": "),
                person.secretPrompts());
        assertEquals("424242", server.auth.stepUpResponses.get(0).oneTimeCode());
        assertEquals(2, server.accessRequests.size());
        assertTrue(t.out().startsWith("Granted tcp 10.8.0.7:22 until "), t.out());
    }

    @Test
    void withoutATerminalTheCodeIsTheNextLineOfStandardInput() {
        server.accessStepUps.set(1);
        CliTestIo t = io("424242\n");

        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io), t.err());

        assertEquals("424242", server.auth.stepUpResponses.get(0).oneTimeCode());
    }

    @Test
    void aFactorNotGivenIsNotGrantedAndExitsWith4() {
        server.accessStepUps.set(1);
        CliTestIo t = io("");

        assertEquals(4, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io));

        assertTrue(
                t.err()
                        .startsWith("wirehaven-client access: access to tcp 10.8.0.7:22 needs a further factor, which"
                                + " was not given: the server asks for a one-time code (totp), but standard input has no"
                                + " further line with it"),
                t.err());
        assertEquals(1, server.accessRequests.size());
        assertTrue(server.auth.stepUpResponses.isEmpty());
    }

    @Test
    void theAccessSocketIsOwnerOnlyAndGoneWhenTheConnectionEnds() throws Exception {
        Path path = AccessSocket.path(runFiles(), "wh0");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));

        socket.close();
        socket = null;

        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        CliTestIo t = io("");
        assertEquals(1, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io));
        assertTrue(t.err().contains("takes no access requests"), t.err());
    }

    @Test
    void aSocketLeftByADeadProcessIsReplaced() throws Exception {
        Path path = AccessSocket.path(runFiles(), "wh0");
        socket.close();
        // a socket file that nobody serves, as a killed process leaves it
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS));

        socket = AccessSocket.start(path, connection, connectOutput::add);

        CliTestIo t = io("");
        assertEquals(0, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io), t.err());
    }

    @Test
    void withoutAConnectProcessItSaysNotConnectedAndExitsWith3() throws Exception {
        Files.delete(runFiles().file("wh0", ".json"));
        CliTestIo t = io("");

        assertEquals(3, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io));

        assertTrue(t.err().startsWith("wh0: not connected (no " + runFiles().file("wh0", ".json")), t.err());
        assertTrue(server.accessRequests.isEmpty());
    }

    @Test
    void aConnectProcessThatEndedIsNotConnected() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        writeState(p.pid());
        CliTestIo t = io("");

        assertEquals(3, ClientCommand.run(new String[] {"access", "10.8.0.7:22"}, t.io));

        assertTrue(t.err().contains("the connect process " + p.pid() + " ended"), t.err());
    }

    private void writeState(long pid) throws Exception {
        new StateFile(runFiles(), "wh0")
                .write(new StateFile.State(
                        pid,
                        null,
                        server.uri().toString(),
                        "alice",
                        "wh0",
                        "lab",
                        null,
                        "ACTIVE",
                        connection.status().sessionId(),
                        connection.status().addresses(),
                        null,
                        connection.status().expiresAt(),
                        -1,
                        Instant.now()));
    }
}
