package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.client.internal.control.Json;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.client.testing.Planted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients with the same interface name in two network namespaces (two containers sharing
 * {@code /run}) never see each other's state:
 *
 * <pre>
 *   this JVM (the host's namespace): a live connect of wh0, its state in run/
 *   namespace wh-client-ns-N (ip netns add): 'wirehaven-client status --interface wh0', same run/
 * </pre>
 *
 * The status in the other namespace must say "not connected", not show (or, for disconnect, signal)
 * the host's connection: once with two namespace identities given to the command, once in a real
 * namespace made by the test (needs root; else skipped).
 */
class NetworkNamespaceStateTest {

    @TempDir
    Path dir;

    private String ns;

    @AfterEach
    void deleteNamespace() throws Exception {
        if (ns != null) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static StateFile.State live() {
        return new StateFile.State(
                ProcessHandle.current().pid(),
                null,
                "https://vpn.example.com:8443",
                "alice",
                "wh0",
                "lab",
                null,
                "ACTIVE",
                "s1",
                List.of("10.8.0.2/32"),
                "192.0.2.1:51820",
                Instant.parse("2030-01-01T00:00:00Z"),
                12,
                Instant.now());
    }

    private CliTestIo io(String namespace) {
        return new CliTestIo("", null, dir.resolve("run"), dir.resolve("uapi"), dir.resolve("config"), namespace);
    }

    @Test
    void twoNamespaceIdentitiesSeeOnlyTheirOwnState() throws Exception {
        // namespace ns111 runs a connect of wh0 (this process, alive); ns222 has the same interface name
        new StateFile(RunDirectory.of(dir.resolve("run"), "ns111"), "wh0").write(live());

        CliTestIo same = io("ns111");
        assertEquals(ClientCommand.EXIT_OK, ClientCommand.run(new String[] {"status"}, same.io), same.err());
        assertTrue(
                same.out()
                        .startsWith("interface: wh0 (process "
                                + ProcessHandle.current().pid()),
                same.out());

        CliTestIo other = io("ns222");
        assertEquals(ClientCommand.EXIT_NOT_CONNECTED, ClientCommand.run(new String[] {"status"}, other.io));
        assertTrue(other.out().startsWith("wh0: not connected"), other.out());

        // disconnect in ns222 neither signals ns111's process (this JVM would be ending) nor removes its state
        CliTestIo stop = io("ns222");
        assertEquals(ClientCommand.EXIT_NOT_CONNECTED, ClientCommand.run(new String[] {"disconnect"}, stop.io));
        assertTrue(Files.exists(RunDirectory.of(dir.resolve("run"), "ns111").file("wh0", ".json")));
        CliTestIo access = io("ns222");
        assertEquals(
                ClientCommand.EXIT_NOT_CONNECTED,
                ClientCommand.run(new String[] {"access", "10.20.0.5:22"}, access.io),
                access.err());
    }

    @Test
    void statusInAnotherNamespaceDoesNotSeeThisNamespacesConnection() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        Path ip = Path.of("/usr/sbin/ip");
        assumeTrue(Files.isExecutable(ip));
        Path run = dir.resolve("run");
        // this process is alive: to a status in the same namespace, wh0 is connected
        Planted.file(
                run,
                "wh0",
                ".json",
                new String(
                        Json.mapper()
                                .writeValueAsBytes(new StateFile.State(
                                        ProcessHandle.current().pid(),
                                        null,
                                        "https://vpn.example.com:8443",
                                        "alice",
                                        "wh0",
                                        "lab",
                                        null,
                                        "ACTIVE",
                                        "s1",
                                        List.of("10.8.0.2/32"),
                                        "192.0.2.1:51820",
                                        Instant.parse("2030-01-01T00:00:00Z"),
                                        12,
                                        Instant.now())),
                        StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ns = "wh-client-ns-" + ProcessHandle.current().pid();
        assertEquals(
                0,
                new ProcessBuilder(ip.toString(), "netns", "add", ns)
                        .inheritIO()
                        .start()
                        .waitFor());

        ProcessBuilder b = new ProcessBuilder(
                        ip.toString(),
                        "netns",
                        "exec",
                        ns,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ClientCommand.class.getName(),
                        "status",
                        "--interface",
                        "wh0")
                .redirectErrorStream(true);
        b.environment().put("WIREHAVEN_CLIENT_RUN_DIR", run.toString());
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));

        assertEquals(ClientCommand.EXIT_NOT_CONNECTED, p.exitValue(), output);
        assertTrue(output.startsWith("wh0: not connected"), output);
    }
}
