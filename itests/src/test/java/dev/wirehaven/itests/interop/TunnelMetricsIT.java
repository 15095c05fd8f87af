package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the server counts of a tunnel's traffic reaches a real Prometheus, and matches the traffic to
 * the byte: a client sends a known number of UDP datagrams of one size through its tunnel to a host
 * behind the server, and the counters that Prometheus scraped from {@code /metrics} grew by exactly
 * what WireGuard's framing makes of them (plus only handshake and keepalive messages, which carry no
 * packet).
 *
 * <pre>
 *   ns c: carol's client -- 198.18.31.0/24 -- ns s: server (bin/wirehaven) -- 192.168.71.0/24 -- ns k: sink .10
 *                                             prometheus 127.0.0.1:19090         UDP receiver on 9999
 *                                             scraping 127.0.0.1:18080/metrics every 1 s
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelMetricsIT {

    private static final String S_TO_C = "198.18.31.1";
    private static final String C_ADDRESS = "198.18.31.2";
    private static final String S_TO_K = "192.168.71.1";
    private static final String SINK = "192.168.71.10";
    private static final int SINK_PORT = 9999;
    private static final String TUNNEL_NET = "10.10.0.0/24";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int PROMETHEUS_PORT = 19090;
    private static final int WG_PORT = 51820;
    private static final String USER = "carol";
    private static final String RULE = "carol-sink";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** The server samples its device every 10 s; two samples and a scrape, with slack for a loaded machine. */
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(40);

    private static final String POLICY = "host sink " + SINK + "\n"
            + "rule " + RULE + ":   allow user:" + USER + " -> sink udp/" + SINK_PORT + "\n"
            + "rule default-deny: deny * -> *\n";

    /** The datagrams sent through the tunnel and their payload. */
    private static final int DATAGRAMS = 200;

    private static final int PAYLOAD = 1000;

    // ---- WireGuard's framing (whitepaper §5.4.6), what the server's device counts as received ----
    /** A transport message's header: type and reserved (4), receiver index (4) and counter (8). */
    private static final int TRANSPORT_HEADER = 16;
    /** The Poly1305 tag after the encrypted packet. */
    private static final int TAG = 16;
    /** A keepalive is a transport message with nothing inside: header and tag. */
    private static final int KEEPALIVE = TRANSPORT_HEADER + TAG;
    /** A handshake initiation (§5.4.2), the message a client sends to (re)key. */
    private static final int INITIATION = 148;
    /** The client's keepalive timeout (§6.5): at most one keepalive per 10 s that it sends unasked. */
    private static final int KEEPALIVE_TIMEOUT_SECONDS = 10;

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whm" + id;
    private final String clientIface = "whc" + id;

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsServer;
    private Netns nsClient;
    private Netns nsSink;
    private NetnsServer server;
    private NetnsPrometheus prometheus;
    private String keyFingerprint;
    private Process carol;
    private Readings before;
    private long beforeNanos;
    private long connectNanos;
    private Readings after;

    @BeforeAll
    void startTheServerAClientAndPrometheus() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        NetnsPrometheus.assumeInstalled();
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "metrics"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsClient = Netns.create("c");
        nsSink = Netns.create("k");
        Topology.link(nsServer, S_TO_C, nsClient, C_ADDRESS, 24);
        Topology.link(nsServer, S_TO_K, nsSink, SINK, 24);
        nsServer.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nsSink.execOk("ip", "route", "add", "default", "via", S_TO_K);

        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = 10.10.0.1/24\n");
        server.writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + serverIface + "\nsubnet.v4 = " + TUNNEL_NET + "\nroutes = " + TUNNEL_NET
                        + ", 192.168.71.0/24\n");
        writePolicy(home);
        server.admin(
                        "user",
                        "add",
                        USER,
                        "--password-file",
                        secretFile("server", "carol-password").toString())
                .requireOk();

        server.start(HTTP_PORT, HTTPS_PORT);
        keyFingerprint = server.await(Pattern.compile("TLS key fingerprint [^:]*: (SHA256:\\S+)"), START_TIMEOUT)
                .group(1);
        server.await(Pattern.compile("Session flow serving WireGuard interface " + serverIface), START_TIMEOUT);
        server.await(Pattern.compile("Bound policy engine acl from "), START_TIMEOUT);
        prometheus = NetnsPrometheus.start(
                nsServer, logDir.resolve("prometheus"), PROMETHEUS_PORT, "127.0.0.1:" + HTTP_PORT);
        connectNanos = System.nanoTime();
        carol = connect();
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (prometheus != null) {
            try {
                // what the server published last, beside the logs for a reader of a failure
                Files.writeString(logDir.resolve("metrics-last.txt"), scrape());
            } catch (IOException | RuntimeException e) {
                // the logs are a courtesy; the clean-up below is not
            }
        }
        for (Netns ns : new Netns[] {nsClient, nsSink, nsServer}) {
            if (ns != null) {
                ns.close();
            }
        }
        // after the client is gone, which keeps its run directory while it runs
        TestFiles.deleteTree(runDir());
    }

    @Test
    @Order(1)
    void prometheusScrapesTheServersSessionOnceItsHandshakeIsDone() throws IOException {
        before = Eventually.await(
                "Prometheus to have scraped carol's active session after its handshake",
                SAMPLE_TIMEOUT,
                this::readings,
                r -> r.read("wirehaven_sessions", "phase", "active") == 1
                        && r.read("wirehaven_handshakes_total", "interface", serverIface) >= 1
                        && r.has("wirehaven_peer_received_bytes_total", "user", USER));
        beforeNanos = System.nanoTime();
        String targets = prometheus.targets();
        assertTrue(targets.contains("\"health\":\"up\""), targets);
        assertTrue(targets.contains("\"lastError\":\"\""), targets);
        for (String phase : new String[] {"requested", "challenged", "authenticated", "configured"}) {
            assertEquals(0, before.value("wirehaven_sessions", "phase", phase), phase + ": " + before);
        }
        Files.writeString(logDir.resolve("metrics-before.txt"), scrape());
        // before any traffic carol's peer sent messages without a packet only: an initiation for each
        // handshake (and perhaps one retried), and keepalives, at most one per keepalive timeout since connecting
        assertEquals(0, before.value("wirehaven_peer_packets_received_total", "user", USER), before.toString());
        long handshakes = Math.round(before.value("wirehaven_handshakes_total", "interface", serverIface));
        long bytes = Math.round(before.value("wirehaven_peer_received_bytes_total", "user", USER));
        long keepalivesAtMost = (beforeNanos - connectNanos) / 1_000_000_000L / KEEPALIVE_TIMEOUT_SECONDS + 1;
        assertTrue(
                onlyHandshakesAndKeepalives(bytes, handshakes, handshakes + 1, keepalivesAtMost),
                "bytes received from carol's peer before any traffic: " + bytes + ", which is not " + handshakes
                        + " or " + (handshakes + 1) + " initiations (" + INITIATION + ") plus at most "
                        + keepalivesAtMost + " keepalives (" + KEEPALIVE + ")\n" + before);
    }

    @Test
    @Order(2)
    void theDatagramsThroughTheTunnelAreCountedToTheByteOfTheirWireGuardMessages() throws IOException {
        assumeTrue(before != null, "no first reading");
        Path receiverLog = logDir.resolve("sink.out");
        Process receiver = Helpers.spawn(
                nsSink,
                receiverLog,
                UdpDatagrams.class,
                "receive",
                SINK,
                Integer.toString(SINK_PORT),
                Integer.toString(DATAGRAMS),
                "30");
        Helpers.awaitLine(receiverLog, "listening", receiver, 30);
        Command.Result sent = Helpers.run(
                nsClient,
                60,
                UdpDatagrams.class,
                "send",
                SINK,
                Integer.toString(SINK_PORT),
                Integer.toString(DATAGRAMS),
                Integer.toString(PAYLOAD),
                "500");
        assertEquals(0, sent.exitCode(), sent.toString());
        Helpers.awaitLine(receiverLog, "received=", receiver, 40);
        // every datagram arrived: the device wrote each of them to its TUN, so each counts as one packet
        assertTrue(
                TestFiles.read(receiverLog).contains("received=" + DATAGRAMS + " bytes=" + (DATAGRAMS * PAYLOAD)),
                TestFiles.read(receiverLog));

        long packet = 20 + 8 + PAYLOAD; // IPv4 and UDP headers
        long message = TRANSPORT_HEADER + padded(packet) + TAG;
        String peerPackets = "wirehaven_peer_packets_received_total";
        String peerBytes = "wirehaven_peer_received_bytes_total";
        after = Eventually.await(
                "Prometheus to have scraped a device sample with all " + DATAGRAMS + " datagrams",
                SAMPLE_TIMEOUT,
                this::readings,
                r -> r.read(peerPackets, "user", USER) - before.value(peerPackets, "user", USER) >= DATAGRAMS
                        && r.read(peerBytes, "user", USER) - before.value(peerBytes, "user", USER)
                                >= DATAGRAMS * message);
        long windowSeconds = (System.nanoTime() - beforeNanos) / 1_000_000_000L;
        Files.writeString(logDir.resolve("metrics-after.txt"), scrape());

        // packets are what the device wrote to its TUN: the datagrams and nothing else, as the client sent nothing else
        assertEquals(
                DATAGRAMS,
                delta(peerPackets, "user", USER),
                "packets received from carol's peer\n" + before + "\n" + after);
        // bytes are whole messages: the datagrams' and only messages that carry no packet, which the client
        // may send unasked in the window: at most one initiation (a retried or early handshake) and one
        // keepalive per keepalive timeout, the window widened by one device sample on either side
        long bytes = delta(peerBytes, "user", USER);
        long extra = bytes - DATAGRAMS * message;
        long keepalivesAtMost = (windowSeconds + 2 * 10) / KEEPALIVE_TIMEOUT_SECONDS + 1;
        assertTrue(
                onlyHandshakesAndKeepalives(extra, 0, 1, keepalivesAtMost),
                "bytes received from carol's peer: " + bytes + " = " + DATAGRAMS + " x " + message + " + " + extra
                        + ", which is not one initiation (" + INITIATION + ") or none plus at most "
                        + keepalivesAtMost + " keepalives (" + KEEPALIVE + ")\n" + before + "\n" + after);
        // one session, one user, one peer on the interface: the totals per user and per interface grew alike
        assertEquals(bytes, delta("wirehaven_user_received_bytes_total", "user", USER), "per user");
        assertEquals(bytes, delta("wirehaven_interface_received_bytes_total", "interface", serverIface), "interface");
    }

    @Test
    @Order(3)
    void theHandshakeIsCountedAndItsDurationIsInTheHistogram() {
        assumeTrue(after != null, "no second reading");
        double handshakes = after.value("wirehaven_handshakes_total", "interface", serverIface);
        double count = after.value("wirehaven_handshake_duration_seconds_count", "interface", serverIface);
        assertTrue(handshakes >= 1, after.toString());
        assertTrue(count >= 1, after.toString());
        // every completed handshake has its duration in the histogram
        assertEquals(handshakes, count, after.toString());
        assertEquals(
                count,
                after.value("wirehaven_handshake_duration_seconds_bucket", "le", "+Inf"),
                "the +Inf bucket holds every handshake\n" + after);
        assertTrue(
                after.value("wirehaven_handshake_duration_seconds_sum", "interface", serverIface) > 0,
                after.toString());
    }

    @Test
    @Order(4)
    void theFlowIsCountedUnderTheRuleThatAllowedItAndTheSessionIsActive() {
        assumeTrue(after != null, "no second reading");
        // one socket, one 5-tuple: one new flow, allowed by carol's rule and by no other
        List<NetnsPrometheus.Series> flows = after.all("wirehaven_policy_allowed_flows_total");
        assertEquals(1, flows.size(), after.toString());
        assertEquals(USER, flows.get(0).labels().get("user"), flows.toString());
        assertEquals("acl:" + RULE, flows.get(0).labels().get("rule"), flows.toString());
        assertEquals(1, flows.get(0).value(), flows.toString());
        assertEquals(1, after.value("wirehaven_sessions", "phase", "active"), after.toString());
        assertTrue(carol.isAlive(), "carol's client kept running");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Every series this test reads, from one instant query: one consistent set of scrapes. */
    private Readings readings() throws IOException {
        return new Readings(prometheus.query("{job=\"wirehaven\",__name__=~\"wirehaven_(peer_received_bytes_total"
                + "|peer_packets_received_total|user_received_bytes_total|interface_received_bytes_total"
                + "|handshakes_total|handshake_duration_seconds_(count|sum|bucket)|policy_allowed_flows_total"
                + "|sessions)\"}"));
    }

    /** The readings of one query, by metric name and one label. */
    record Readings(List<NetnsPrometheus.Series> series) {

        List<NetnsPrometheus.Series> all(String name) {
            return series.stream()
                    .filter(s -> name.equals(s.labels().get("__name__")))
                    .toList();
        }

        boolean has(String name, String label, String value) {
            return all(name).stream().anyMatch(s -> value.equals(s.labels().get(label)));
        }

        /** The one series of {@code name} whose {@code label} is {@code value}; fails if there are none or several. */
        double value(String name, String label, String value) {
            List<NetnsPrometheus.Series> matching = all(name).stream()
                    .filter(s -> value.equals(s.labels().get(label)))
                    .toList();
            if (matching.size() != 1) {
                throw new AssertionError(
                        matching.size() + " series " + name + "{" + label + "=\"" + value + "\"} in " + this);
            }
            return matching.get(0).value();
        }

        /** As {@link #value}, NaN (which no comparison holds for) when there is not exactly one: for a wait. */
        double read(String name, String label, String value) {
            List<NetnsPrometheus.Series> matching = all(name).stream()
                    .filter(s -> value.equals(s.labels().get(label)))
                    .toList();
            return matching.size() == 1 ? matching.get(0).value() : Double.NaN;
        }

        @Override
        public String toString() {
            return series.stream()
                    .map(s -> s.labels().get("__name__") + s.labels() + " " + s.value())
                    .sorted()
                    .collect(Collectors.joining("\n  ", "readings:\n  ", ""));
        }
    }

    private long delta(String name, String label, String value) {
        return Math.round(after.value(name, label, value) - before.value(name, label, value));
    }

    /** A transport message's content is the packet padded with zeros to a multiple of 16 (§5.4.6). */
    private static long padded(long length) {
        return (length + 15) / 16 * 16;
    }

    /**
     * True if {@code bytes} are exactly {@code fewest} to {@code most} initiations and at most {@code
     * keepalives} keepalives: what a peer sends that carries no packet.
     */
    private static boolean onlyHandshakesAndKeepalives(long bytes, long fewest, long most, long keepalives) {
        for (long initiations = fewest; initiations <= most; initiations++) {
            long rest = bytes - initiations * INITIATION;
            if (rest >= 0 && rest % KEEPALIVE == 0 && rest / KEEPALIVE <= keepalives) {
                return true;
            }
        }
        return false;
    }

    /** The server's /metrics as Prometheus reads it, kept with the logs for a reader of a failure. */
    private String scrape() throws IOException {
        return nsServer.exec(
                        30, Map.of(), "curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + HTTP_PORT + "/metrics")
                .stdout();
    }

    private Process connect() throws IOException {
        Path out = logDir.resolve(clientIface + ".out");
        Process p = nsClient.spawn(
                out,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_CLIENT_RUN_DIR", runDir().toString()),
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                "https://" + S_TO_C + ":" + HTTPS_PORT,
                "--user",
                USER,
                "--password-file",
                secretFile("client", "carol-password").toString(),
                "--interface",
                clientIface,
                "--device",
                "laptop-" + USER,
                "--fingerprint",
                keyFingerprint,
                "--config-dir",
                work.resolve("config-" + clientIface).toString());
        Helpers.awaitConnected(p, out, USER + "'s client", "10\\.10\\.0", CONNECT_TIMEOUT, server::output);
        return p;
    }

    /** The client's run directory: short, because its access socket's path must fit in 108 bytes. */
    private Path runDir() {
        return Path.of("/tmp", "whr-" + clientIface);
    }

    private static void writePolicy(Path home) throws IOException {
        Path etc = home.resolve("etc");
        Path temp = etc.resolve(".policy.acl.tmp");
        Files.writeString(temp, POLICY);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(
                temp, etc.resolve("policy.acl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
