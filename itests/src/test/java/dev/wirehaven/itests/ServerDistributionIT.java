package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real zip, unpacked and started as an operator would, driven through its files and its web
 * console. The steps build on each other like an operator's first day, so they run in order on
 * one server: first start, console login, hot deployment of a plugin, a broken file in deploy/,
 * SIGTERM, and a second start of the same installation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerDistributionIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** What the JVM reports after a SIGTERM that its shutdown hooks handled. */
    private static final int EXIT_ON_SIGTERM = 128 + 15;

    private static final String PLUGIN = "wirehaven-example-auth-static-token";
    private static final Pattern CREDENTIAL = Pattern.compile("Wirehaven admin user: (\\S+)  password: (\\S+)");
    private static final Pattern BOUND =
            Pattern.compile("\\bBound auth provider \\S+ from dev\\.wirehaven\\.example-auth-static-token ");
    private static final Pattern UNBOUND =
            Pattern.compile("\\bUnbound auth provider \\S+ from dev\\.wirehaven\\.example-auth-static-token ");
    private static final Pattern GARBAGE_ERROR = Pattern.compile("\\bERROR\\b.*\\bx\\.jar\\b");
    private static final Pattern JETTY_STOPPED = Pattern.compile("\\bStopped Jetty\\b");
    private static final Pattern CREDENTIAL_LOADED = Pattern.compile("Admin credential for user '\\S+' loaded from");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path work;
    private Path home;
    private int port;
    private ServerProcess server;
    private String adminUser;
    private String adminPassword;

    @BeforeAll
    void unpackAndStart() throws IOException {
        work = Distribution.freshWork("ServerDistributionIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        port = Distribution.freePort();
        server = ServerProcess.start(home, port, work.resolve("first-start.out"));
    }

    @AfterAll
    void stopWhateverRuns() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void theZipKeepsTheScriptsExecutable() throws IOException {
        Set<PosixFilePermission> script = Files.getPosixFilePermissions(home.resolve("bin/wirehaven"));
        assertTrue(script.contains(PosixFilePermission.OWNER_EXECUTE), "bin/wirehaven is not executable: " + script);
        for (String dir : new String[] {"bundle", "etc", "deploy", "data", "plugins/examples"}) {
            assertTrue(Files.isDirectory(home.resolve(dir)), dir + "/ is missing from the zip");
        }
    }

    @Test
    @Order(2)
    void firstStartPrintsTheAdminCredentialOnceAndServesTheConsole() throws Exception {
        server.awaitLines(CREDENTIAL, 1, START_TIMEOUT);
        Matcher credential = CREDENTIAL.matcher(server.output());
        assertTrue(credential.find());
        adminUser = credential.group(1);
        adminPassword = credential.group(2);
        assertFalse(credential.find(), "the admin credential was printed more than once:\n" + server.output());

        Eventually.await(
                "the web console to accept the admin credential",
                START_TIMEOUT,
                () -> consoleStatus(adminUser, adminPassword),
                status -> status == 200);

        Set<PosixFilePermission> data = Files.getPosixFilePermissions(home.resolve("data"));
        assertEquals(
                Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE),
                data,
                "data/ must be owner-only");
    }

    @Test
    @Order(3)
    void theConsoleRefusesTheFelixDefaultLoginAndAnonymousAccess() throws Exception {
        assertEquals(401, consoleStatus("admin", "admin"), "admin:admin must not open the console");
        assertEquals(401, consoleStatus(null, null), "the console must ask for a login");
        assertEquals(401, consoleStatus(adminUser, adminPassword + "x"), "a wrong password must not open the console");
        assertEquals(200, consoleStatus(adminUser, adminPassword));
    }

    @Test
    @Order(4)
    void aPluginDroppedIntoDeployIsBoundReboundWhenReplacedAndUnboundWhenRemoved() throws Exception {
        Path example = home.resolve("plugins/examples")
                .resolve(Distribution.pluginExample(PLUGIN).getFileName());
        Path deployed = home.resolve("deploy").resolve(example.getFileName());

        drop(example, deployed);
        server.awaitLines(BOUND, 1, DEPLOY_TIMEOUT);

        // replaced by a copy with a newer modification time: FileInstall updates the bundle in place
        drop(example, deployed);
        server.awaitLines(UNBOUND, 1, DEPLOY_TIMEOUT);
        server.awaitLines(BOUND, 2, DEPLOY_TIMEOUT);

        Files.delete(deployed);
        server.awaitLines(UNBOUND, 2, DEPLOY_TIMEOUT);
        assertEquals(2, server.count(BOUND), server.output());
    }

    @Test
    @Order(5)
    void aGarbageJarInDeployLogsOneErrorAndTheServerCarriesOn() throws Exception {
        Path garbage = home.resolve("deploy/x.jar");
        Path staged = work.resolve("x.jar");
        Files.writeString(staged, "this is not a jar file\n", StandardCharsets.UTF_8);
        drop(staged, garbage);
        server.awaitLines(
                "an ERROR line naming x.jar (FileInstall itself skips a file that no artifact listener"
                        + " accepts without a word, so the server must report it)",
                GARBAGE_ERROR,
                1,
                DEPLOY_TIMEOUT);

        // several deploy/ polls (1 s each) later, the same file has not been reported again
        Thread.sleep(5_000);
        assertEquals(1, server.count(GARBAGE_ERROR), "x.jar must be reported exactly once:\n" + server.output());
        assertTrue(server.isAlive(), "the server died");
        assertEquals(200, consoleStatus(adminUser, adminPassword), "the console must still answer");
        Files.delete(garbage);
    }

    @Test
    @Order(6)
    void sigtermStopsEveryBundleAndExits() throws Exception {
        // the first start restarts Jetty once, when the HTTPS settings of the new certificate arrive
        long stopsBefore = server.count(JETTY_STOPPED);
        int status = server.terminate(STOP_TIMEOUT);
        assertEquals(
                EXIT_ON_SIGTERM,
                status,
                "exit status after SIGTERM (-1: still running after " + STOP_TIMEOUT.toSeconds() + " s):\n"
                        + server.output());
        // Jetty's bundle logs its stop: the framework was stopped, not just the JVM killed
        assertEquals(stopsBefore + 1, server.count(JETTY_STOPPED), server.output());
    }

    @Test
    @Order(7)
    void aSecondStartKeepsTheCredentialAndPrintsNoPassword() throws Exception {
        server = ServerProcess.start(home, port, work.resolve("second-start.out"));
        server.awaitLines(CREDENTIAL_LOADED, 1, START_TIMEOUT);
        Eventually.await(
                "the web console to accept the admin credential of the first start",
                START_TIMEOUT,
                () -> consoleStatus(adminUser, adminPassword),
                status -> status == 200);
        assertEquals(0, server.count(CREDENTIAL), "a second start must not print a password:\n" + server.output());
        assertEquals(EXIT_ON_SIGTERM, server.terminate(STOP_TIMEOUT), server.output());
    }

    /** Copies {@code source} to {@code target} as one atomic rename, so that FileInstall never sees half a file. */
    private void drop(Path source, Path target) throws IOException {
        Path staging = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
        // FileInstall spots a change by modification time and size; a replacement must not look like the old file
        Files.setLastModifiedTime(staging, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int consoleStatus(String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/system/console/bundles"))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + basic);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
