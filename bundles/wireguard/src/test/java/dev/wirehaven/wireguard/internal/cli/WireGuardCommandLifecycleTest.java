package dev.wirehaven.wireguard.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's life in a real network namespace, as wireguard-go's: it creates the TUN interface
 * and the socket, and stops, removing the socket, on SIGTERM, when the interface is deleted (what
 * {@code wg-quick down} does) or when the socket is removed. Needs root and {@code ip}; the
 * namespace is this test's own and is deleted afterwards.
 *
 * <pre>
 *   namespace whcliN:  java WireGuardCommand -f whcN  ->  TUN whcN (mtu 1420, down)
 *   host:              /var/run/wireguard/whcN.sock, whcN.stats
 * </pre>
 */
class WireGuardCommandLifecycleTest {

    @TempDir
    Path tmp;

    private final String ns = "whcli" + ProcessHandle.current().pid();
    private final String iface = "whc" + (ProcessHandle.current().pid() % 100000);
    private final Path socket = Path.of("/var/run/wireguard", iface + ".sock");
    private Process child;

    @BeforeEach
    void createNamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2");
        assertEquals(0, exec("ip", "netns", "add", ns).exitValue());
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
        exec("ip", "netns", "del", ns);
        // a killed command leaves its sockets behind; the names are this test's own
        Files.deleteIfExists(socket);
        Files.deleteIfExists(Path.of("/var/run/wireguard", iface + ".stats"));
    }

    private Process exec(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(tmp.resolve("exec.log").toFile()))
                .start();
        p.waitFor(30, TimeUnit.SECONDS);
        return p;
    }

    private void startChild() throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                WireGuardCommand.class.getName(),
                "-f",
                iface));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.to(tmp.resolve("child.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LOG_LEVEL", "verbose");
        child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "socket should appear; child log: " + log());
        String link = new String(
                new ProcessBuilder("ip", "-n", ns, "link", "show", iface)
                        .start()
                        .getInputStream()
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(link.contains(iface + ": <POINTOPOINT") && link.contains("mtu 1420"), link);
    }

    private String log() throws IOException {
        return Files.readString(tmp.resolve("child.log"));
    }

    private void assertStopsCleanly(int expectedStatus) throws Exception {
        assertTrue(child.waitFor(15, TimeUnit.SECONDS), "the command should stop; log: " + log());
        assertEquals(expectedStatus, child.exitValue(), log());
        assertFalse(Files.exists(socket), "the socket is removed");
        assertFalse(Files.exists(Path.of("/var/run/wireguard", iface + ".stats")), "the stats socket is removed");
    }

    @Test
    void deletingTheInterfaceStopsTheCommand() throws Exception {
        startChild();
        assertEquals(0, exec("ip", "-n", ns, "link", "del", iface).exitValue());
        assertStopsCleanly(0);
        assertTrue(log().contains("interface " + iface + " was removed"), log());
    }

    @Test
    void sigtermStopsTheCommandAndTheInterfaceGoesWithIt() throws Exception {
        startChild();
        child.destroy();
        assertStopsCleanly(143);
        Process show = exec("ip", "-n", ns, "link", "show", iface);
        assertTrue(show.exitValue() != 0, "the TUN interface is gone with its file descriptor");
    }

    @Test
    void removingTheSocketStopsTheCommand() throws Exception {
        startChild();
        Files.delete(socket);
        assertStopsCleanly(0);
        assertTrue(log().contains("was removed"), log());
    }

    @Test
    void aSecondCommandForTheSameInterfaceFailsWithAMessage() throws Exception {
        startChild();
        Process second = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        WireGuardCommand.class.getName(),
                        "-f",
                        iface)
                .redirectErrorStream(true)
                .start();
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        assertEquals(WireGuardCommand.EXIT_SETUP_FAILED, second.exitValue());
        assertTrue(output.contains("wirehaven-wg: interface " + iface + " already exists"), output);
        assertTrue(child.isAlive(), "the first one keeps running");
    }
}
