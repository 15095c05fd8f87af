package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;

/**
 * Wire compatibility with stock WireGuard: our device in one network namespace, wireguard-go (the
 * reference userspace implementation) in another, joined by a veth pair. Needs root, ip and
 * wireguard-go; skipped otherwise.
 *
 * <pre>
 *   netns wh3-go                                   netns wh3-java
 *   wireguard-go wh3go0  10.99.0.1 fd99::1         Wirehaven (child JVM) wh3j0  10.99.0.2 fd99::2
 *     udp 10.77.0.1:51820                            udp 10.77.0.2:51821
 *   veth wh3v0 10.77.0.1/24  ------------------  veth wh3v1 10.77.0.2/24
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WireGuardGoInteropTest {

    private static final String NS_GO = "wh3-go";
    private static final String NS_JAVA = "wh3-java";
    private static final String IF_GO = "wh3go0";
    private static final String IF_JAVA = "wh3j0";

    private static Process wireguardGo;
    private static Process javaNode;
    private static Writer javaNodeInput;
    private static BufferedReader javaNodeOutput;
    private static Path goKeyFile;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        assumeTrue(run("which", "wireguard-go").exitCode == 0 && run("which", "ip").exitCode == 0,
                "needs wireguard-go and ip");
        cleanUp();
        Key goPriv = Keys.generatePrivate();
        Key javaPriv = Keys.generatePrivate();

        must("ip", "netns", "add", NS_GO);
        must("ip", "netns", "add", NS_JAVA);
        must("ip", "link", "add", "wh3v0", "netns", NS_GO, "type", "veth", "peer", "name", "wh3v1", "netns", NS_JAVA);
        must("ip", "-n", NS_GO, "addr", "add", "10.77.0.1/24", "dev", "wh3v0");
        must("ip", "-n", NS_JAVA, "addr", "add", "10.77.0.2/24", "dev", "wh3v1");
        for (String ns : new String[] {NS_GO, NS_JAVA}) {
            must("ip", "-n", ns, "link", "set", "lo", "up");
            must("ip", "-n", ns, "link", "set", ns.equals(NS_GO) ? "wh3v0" : "wh3v1", "up");
        }

        // wireguard-go in the foreground, so that we own the process
        wireguardGo = new ProcessBuilder("ip", "netns", "exec", NS_GO, "wireguard-go", "-f", IF_GO)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        waitFor(() -> ok("ip", "-n", NS_GO, "link", "show", IF_GO), "wireguard-go's interface");
        goKeyFile = Files.createTempFile("wh3-go", ".key");
        Files.writeString(goKeyFile, goPriv.toBase64() + "\n");
        must("ip", "netns", "exec", NS_GO, "wg", "set", IF_GO, "private-key", goKeyFile.toString(),
                "listen-port", "51820", "peer", Keys.publicFrom(javaPriv).toBase64(),
                "allowed-ips", "10.99.0.2/32,fd99::2/128", "endpoint", "10.77.0.2:51821");
        must("ip", "-n", NS_GO, "addr", "add", "10.99.0.1/24", "dev", IF_GO);
        must("ip", "-n", NS_GO, "addr", "add", "fd99::1/64", "dev", IF_GO, "nodad");
        must("ip", "-n", NS_GO, "link", "set", IF_GO, "mtu", "1420", "up");

        // our device in a child JVM inside the other namespace
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        javaNode = new ProcessBuilder("ip", "netns", "exec", NS_JAVA, java, "-cp", cp,
                InteropNode.class.getName(), IF_JAVA, "51821", javaPriv.toBase64(), Keys.publicFrom(goPriv).toBase64(),
                "10.77.0.1", "51820", "10.99.0.1/32", "fd99::1/128").redirectErrorStream(true).start();
        javaNodeInput = new OutputStreamWriter(javaNode.getOutputStream(), StandardCharsets.UTF_8);
        javaNodeOutput = new BufferedReader(new InputStreamReader(javaNode.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = javaNodeOutput.readLine()) != null && !line.equals("READY")) {
            seen.append(line).append('\n');
        }
        assertEquals("READY", line, "the Wirehaven node started: " + seen);
        must("ip", "-n", NS_JAVA, "addr", "add", "10.99.0.2/24", "dev", IF_JAVA);
        must("ip", "-n", NS_JAVA, "addr", "add", "fd99::2/64", "dev", IF_JAVA, "nodad");
        must("ip", "-n", NS_JAVA, "link", "set", IF_JAVA, "up");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (javaNode != null) {
            javaNodeInput.close();
            if (!javaNode.waitFor(5, TimeUnit.SECONDS)) {
                javaNode.destroyForcibly();
            }
        }
        if (wireguardGo != null) {
            wireguardGo.destroy();
            if (!wireguardGo.waitFor(5, TimeUnit.SECONDS)) {
                wireguardGo.destroyForcibly();
            }
        }
        if (goKeyFile != null) {
            Files.deleteIfExists(goKeyFile);
        }
        cleanUp();
    }

    private static void cleanUp() throws Exception {
        run("ip", "netns", "del", NS_GO);
        run("ip", "netns", "del", NS_JAVA);
    }

    @Test
    @Order(1)
    void wireguardGoInitiatesAndPingsUsOverIpv4() throws Exception {
        Result ping = run("ip", "netns", "exec", NS_GO, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.2");
        assertEquals(0, ping.exitCode, ping.output);
        Result hs = run("ip", "netns", "exec", NS_GO, "wg", "show", IF_GO, "latest-handshakes");
        assertTrue(!hs.output.trim().endsWith("\t0"), "wireguard-go recorded a handshake: " + hs.output);
    }

    @Test
    @Order(2)
    void wePingWireguardGoOverIpv6() throws Exception {
        Result ping = run("ip", "netns", "exec", NS_JAVA, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "5", "fd99::1");
        assertEquals(0, ping.exitCode, ping.output);
    }

    @Test
    @Order(3)
    void fullSizePacketsCrossBothWays() throws Exception {
        // 1392 bytes of ICMP payload + 28 bytes of headers = the 1420-byte MTU
        Result a = run("ip", "netns", "exec", NS_JAVA, "ping", "-c", "3", "-i", "0.2", "-W", "5", "-M", "do", "-s", "1392",
                "10.99.0.1");
        assertEquals(0, a.exitCode, a.output);
        Result b = run("ip", "netns", "exec", NS_GO, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "5", "-M", "do", "-s",
                "1372", "fd99::2");
        assertEquals(0, b.exitCode, b.output);
    }

    @Test
    @Order(4)
    void aTcpStreamCrossesTheTunnel() throws Exception {
        assumeTrue(run("which", "iperf3").exitCode == 0, "needs iperf3");
        Process server = new ProcessBuilder("ip", "netns", "exec", NS_GO, "iperf3", "-s", "-1", "-B", "10.99.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Result client = run("ip", "netns", "exec", NS_JAVA, "iperf3", "-c", "10.99.0.1", "-t", "3", "-f", "m");
            for (int i = 0; i < 50 && client.output.contains("unable to connect"); i++) {
                Thread.sleep(100); // the server is still starting
                client = run("ip", "netns", "exec", NS_JAVA, "iperf3", "-c", "10.99.0.1", "-t", "3", "-f", "m");
            }
            assertEquals(0, client.exitCode, client.output);
            String summary = client.output.lines().filter(l -> l.contains("receiver")).findFirst().orElse(client.output);
            System.out.println("iperf3 Wirehaven -> wireguard-go: " + summary.trim());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- helpers ----

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        Result r = run(cmd);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !ok.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        if (!ok.getAsBoolean()) {
            throw new IllegalStateException("no " + what);
        }
    }

    private static boolean ok(String... cmd) {
        try {
            return run(cmd).exitCode == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
