package dev.wirehaven.auth.local.internal.users;

import static dev.wirehaven.auth.local.internal.users.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.store.UserSchema;
import dev.wirehaven.server.support.store.TestDatabase;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line while a server runs: a real UNIX domain socket served by the component, the
 * server's users in a store that only the server has open (an in-memory database here, so that
 * the command line could not reach them any other way).
 */
class AdminSocketServerTest {

    @TempDir
    Path data;

    private final TestDatabase db = TestDatabase.migrated(UserSchema.TRACK);
    private final UserRepository repository = new UserRepository(db.dataSource());
    private final UserPasswords passwords = new UserPasswords(new SecureRandom());
    private final UserAdministration users = new UserAdministration(repository, passwords, Clock.systemUTC());
    private AdminSocketServer server;

    @BeforeEach
    void start() throws IOException {
        server = new AdminSocketServer(AdminSocketAddress.socketIn(data), users, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        db.close();
    }

    private Path socket() {
        return AdminSocketAddress.socketIn(data);
    }

    @Test
    void theCommandLineChangesTheRunningServersUsers() throws Exception {
        assertEquals(new CommandLineRun(0, "User alice added.\n", ""), run(data, "correct horse\n", "add", "alice"));
        assertTrue(passwords.matches(
                "correct horse".toCharArray(),
                repository.find("alice").orElseThrow().passwordHash()));
        assertFalse(Files.exists(data.resolve("db")), "the command line did not open a store of its own");

        assertEquals(0, run(data, "", "disable", "alice").status());
        assertTrue(repository.find("alice").orElseThrow().disabled());
        CommandLineRun list = run(data, "", "list");
        assertEquals(0, list.status());
        assertTrue(list.out().lines().skip(1).findFirst().orElseThrow().matches("alice +yes +\\d{4}-.*Z"), list.out());
        assertEquals(0, run(data, "", "enable", "alice").status());
        assertEquals(0, run(data, "new horse\n", "reset", "alice").status());
        assertTrue(passwords.matches(
                "new horse".toCharArray(),
                repository.find("alice").orElseThrow().passwordHash()));
        assertEquals(new CommandLineRun(0, "User alice removed.\n", ""), run(data, "", "remove", "alice"));
        assertTrue(repository.list().isEmpty());
        assertFalse(Files.exists(data.resolve("db")));
    }

    @Test
    void aRefusalReachesTheCommandLineWithTheServersSentence() {
        run(data, "pw\n", "add", "alice");
        assertEquals(
                new CommandLineRun(
                        1, "", "wirehaven user: User alice exists already (to change its password, " + "reset it).\n"),
                run(data, "other\n", "add", "alice"));
        assertEquals(
                new CommandLineRun(1, "", "wirehaven user: There is no user bob.\n"), run(data, "", "remove", "bob"));
        assertEquals(1, repository.list().size());
    }

    @Test
    void onlyTheServersUserMayReachTheSocket() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
    }

    @Test
    void logsEveryRequestButNeverThePassword() {
        try (RootLogCapture log = new RootLogCapture()) {
            run(data, "Tr0ub4dor&3\n", "add", "alice");
            run(data, "Tr0ub4dor&3\n", "add", "alice");
            run(data, "correct horse battery\n", "reset", "alice");
            assertTrue(
                    log.lines()
                            .contains("INFO " + AdminSocketServer.class.getName()
                                    + ": Admin socket: user add alice: User alice added."),
                    String.join("\n", log.lines()));
            assertTrue(
                    log.lines().stream()
                            .anyMatch(l ->
                                    l.contains("Admin socket: user add alice refused: User alice " + "exists already")),
                    String.join("\n", log.lines()));
            assertTrue(log.lines().stream()
                    .anyMatch(l -> l.contains("Admin socket: user reset alice: Password of user " + "alice changed.")));
            for (String line : log.lines()) {
                assertFalse(line.contains("Tr0ub4dor") || line.contains("battery"), line);
            }
        }
    }

    @Test
    void answersARequestOutsideTheProtocolWithAnErrorAndServesOn() throws Exception {
        assertEquals("error\tMalformed request: unknown operation 'shell'\n", exchange("shell\tcat /etc/shadow\n"));
        assertEquals("ok\t0 users.\n", exchange("list\n"));
    }

    @Test
    void cutsOffAClientThatSendsNothingAndServesOn() throws Exception {
        server.close();
        server = new AdminSocketServer(socket(), users, Duration.ofMillis(200));
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            assertEquals(-1, silent.read(ByteBuffer.allocate(64)), "the server closes the connection");
        }
        assertEquals("ok\t0 users.\n", exchange("list\n"));
    }

    @Test
    void replacesASocketThatAKilledServerLeftBehind() throws Exception {
        server.close();
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(socket()));
        }
        assertTrue(Files.exists(socket()), "closing a channel leaves its socket file, as a kill -9 does");
        server = new AdminSocketServer(socket(), users, Duration.ofSeconds(30));
        assertEquals("ok\t0 users.\n", exchange("list\n"));
    }

    @Test
    void refusesToServeWhereAnotherServerAnswers() {
        IOException e =
                assertThrows(IOException.class, () -> new AdminSocketServer(socket(), users, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("is a second server running with the same data directory?"), e.getMessage());
        assertTrue(Files.exists(socket()), "the first server's socket stays");
    }

    @Test
    void stoppingRemovesTheSocketSoThatTheCommandLineOpensTheStoreItself() throws Exception {
        server.close();
        assertFalse(Files.exists(socket()));
        assertEquals(0, run(data, "pw\n", "add", "carol").status());
        assertTrue(Files.exists(data.resolve("db").resolve("wirehaven.mv.db")));
        assertTrue(repository.find("carol").isEmpty(), "carol went into the file store, not the server's");
        server = new AdminSocketServer(socket(), users, Duration.ofSeconds(30));
    }

    @Test
    void aLinkPlantedWhereTheSocketsDirectoryGoesIsRefusedBeforeAnythingIsChangedThroughIt() throws Exception {
        Path elsewhere = Files.createDirectories(data.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path planted = data.resolve("planted");
        Files.createSymbolicLink(planted, elsewhere);

        IOException refused = assertThrows(
                IOException.class,
                () -> new AdminSocketServer(planted.resolve("admin.sock"), users, Duration.ofSeconds(30)));

        assertTrue(refused.getMessage().contains("is not a directory of user"), refused.getMessage());
        assertEquals(
                "rwxr-xr-x",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)),
                "the link's target was not chmod-ed");
    }

    @Test
    void theCommandLineSendsNothingToASocketAnotherUserOwns() throws Exception {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "only root can give the socket to another user");
        Files.setOwner(
                socket(),
                socket().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        CommandLineRun run = run(data, "pw\n", "add", "mallory");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("owned by nobody"), run.err());
        assertTrue(repository.list().isEmpty(), "nothing reached the server");
    }

    /** Sends raw bytes and reads until the server closes the connection. */
    private String exchange(String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer answer = ByteBuffer.allocate(4096);
            while (channel.read(answer) >= 0) {
                // until the server closes
            }
            answer.flip();
            return StandardCharsets.UTF_8.decode(answer).toString();
        }
    }
}
