package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several gateway nodes on one PostgreSQL database, end to end (issue 13): three copies of the server
 * distribution, each in its own namespace with its own WireGuard interface and key, share the users,
 * sessions and peers of one database, and a client that loses its gateway moves to another one
 * without a new login.
 *
 * <pre>
 *      namespace D: PostgreSQL 192.168.60.10:5432 (role wirehaven, SCRAM password) ── WAL ──▶ standby .11:5432
 *                        bridge 192.168.60.0/24
 *             .1 /               .2 |                \ .3
 *   namespace G1: g1        namespace G2: g2        namespace G3: g3      bin/wirehaven each,
 *   whg1N 10.8.0.1/24       whg2N 10.8.0.1/24       whg3N 10.8.0.1/24     HTTPS 8443, WireGuard 51820,
 *             .1 \               .2 |                / .3                 one shared TLS certificate
 *                        bridge 198.18.0.0/24
 *                      namespace C: alice's client 198.18.0.100, whcN 10.8.0.x (tunnel)
 *
 *   G1, G2, G3 also on a bridge 192.168.50.0/24 (.1 .2 .3) in namespace K: the corporate host 192.168.50.10
 *   G4 (step 7) joins all three bridges as .4
 * </pre>
 *
 * <p>Each gateway masquerades what it forwards toward K (nftables in its own namespace). The reason: the
 * client's tunnel address is the same whichever gateway carries it, and nothing tells K which gateway
 * that is now, since there is no routing protocol between the gateways and K. A static route on K
 * through one gateway would send replies to a dead gateway after a failover; with masquerade, K
 * answers the gateway's own address, so replies go back through whichever gateway forwarded. A
 * deployment that wants the clients' own addresses on the corporate side needs the gateways to
 * announce the tunnel subnet (BGP, OSPF) instead.
 *
 * <p>All three nodes present one certificate, made by g1 at its first start for the three addresses
 * that clients reach them at ({@code names} in {@code etc/dev.wirehaven.server.tls.cfg}) and copied to
 * g2 and g3 before they start, so that the client's one pinned fingerprint covers every node. That
 * first start of g1 has no store configured yet, so that the three nodes then meet the empty database
 * at the same moment.
 *
 * <p>The steps build on each other: the nodes start together and migrate the schema once; the client
 * logs in through g1's control API, its tunnel goes to the node that placement chooses (the one with
 * the most headroom, g1 or another), and its peer is pre-staged on every node; that node is killed with
 * SIGKILL under a ping, and the client carries on through another node with the same session (the gap
 * is printed as {@code gateway failover gap: N ms}); the killed node comes back with the sessions that
 * the others carried on; a session revoked on g3 and the client's disconnect leave every node;
 * PostgreSQL is stopped under traffic and started again; the primary crashes and its streaming standby
 * is promoted under traffic (the nodes' URL names both, the store connects to the one that takes
 * writes); a fourth node joins and takes the next session; a user disabled through one node (a security
 * response) cannot log in through another until the response is undone through a third; a policy edit on
 * one node is in force on every node. Skipped unless root with {@code ip},
 * {@code wg}, {@code nft}, {@code curl}, PostgreSQL's server binaries and both distributions unpacked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayClusterIT {

    private static final String CLIENT_ADDRESS = "198.18.0.100";
    private static final String CORPORATE_HOST = "192.168.50.10";
    private static final String CORPORATE_NET = "192.168.50.0/24";
    private static final String DATABASE_HOST = "192.168.60.10";
    /** The streaming standby of the database, in the same namespace: promoted in step 6. */
    private static final String STANDBY_HOST = "192.168.60.11";

    private static final String DATABASE_NET = "192.168.60.0/24";
    private static final String TUNNEL_NET = "10.8.0.0/24";
    private static final String PUSHED_DNS = "192.168.50.53";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final int NODES = 3;
    /** With the node that joins in step 7. */
    private static final int MOST_NODES = 4;
    /**
     * Each node's capacity: small, so that placement weighs the sessions a node has (a node with two
     * sessions has 50% headroom left, an empty one 100%) more than the CPU that four JVMs on one test
     * machine take from each other (each node reports its CPU averaged over about 10 s).
     */
    private static final int NODE_CAPACITY = 4;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** Changes travel through the change log and LISTEN/NOTIFY within about a second; a few more for a busy machine. */
    private static final Duration SPREAD_TIMEOUT = Duration.ofSeconds(10);
    /** Not the goal (5 s, for the benchmark): a bound that only a failover that does not work exceeds. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);
    /**
     * The ping runs every 200 ms; a silence this long means the tunnel stopped, not a slow machine (the
     * client itself declares its gateway lost after about 2.5 s without an answer).
     */
    private static final Duration OUTAGE_SILENCE_BOUND = Duration.ofSeconds(5);

    private static final String INTERFACE_PID = "dev.wirehaven.wireguard.interface";
    private static final String SESSIONS_PID = "dev.wirehaven.server.sessions";
    private static final String STORE_PID = "dev.wirehaven.store.postgres";
    private static final String TLS_PID = "dev.wirehaven.server.tls";
    private static final Pattern REPLY = Pattern.compile("(?m)^\\[(\\d+)\\.(\\d+)\\] \\d+ bytes from ");

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String clientIface = "whc" + id;
    private final String dbPassword = "db-" + UUID.randomUUID();

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsDatabase;
    private Netns nsClient;
    private Netns nsCorp;
    private final List<Netns> nsGateways = new ArrayList<>();
    private final List<GatewayNode> nodes = new ArrayList<>();
    private final List<Path> netnsEtc = new ArrayList<>();
    private NetnsPostgres database;
    private NetnsPostgres standby;
    /** The server that takes writes: the database, and from step 6 on its promoted standby. */
    private NetnsPostgres primaryNow;

    private Process aliceClient;
    private String fingerprint;
    private String tunnelAddress;
    /** The node that carries the client's tunnel after its login (placement chooses it). */
    private GatewayNode tunnelNode;
    /** The node that carries the client's tunnel after the failover of step 3. */
    private GatewayNode servingNode;

    @BeforeAll
    void buildTheNetworkAndTheDatabase() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        assumeTrue(Command.which("nft") != null, "nft is not installed (masquerade on the gateways)");
        NetnsPostgres.assumeAvailable();
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "cluster"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));

        nsDatabase = Netns.create("d");
        nsClient = Netns.create("c");
        nsCorp = Netns.create("k");
        bridge(nsDatabase, DATABASE_HOST + "/24");
        bridge(nsClient, CLIENT_ADDRESS + "/24");
        bridge(nsCorp, CORPORATE_HOST + "/24");
        resolvConf(nsClient, "nameserver 198.18.0.53\n");

        database = NetnsPostgres.start(nsDatabase, DATABASE_HOST, DATABASE_NET, dbPassword, logDir);
        nsDatabase.execOk("ip", "address", "add", STANDBY_HOST + "/24", "dev", "br0");
        standby = database.startStandby(STANDBY_HOST);
        primaryNow = database;
        Eventually.await(
                "the standby streams from the database", START_TIMEOUT, database::hasStreamingStandby, on -> on);

        for (int n = 1; n <= NODES; n++) {
            nodes.add(newNode(n, gatewayNamespace(n)));
        }
    }

    /** Namespace G{@code n}, joined to D, C and K, forwarding with masquerade toward K. */
    private Netns gatewayNamespace(int n) throws IOException {
        Netns ns = Netns.create("g");
        nsGateways.add(ns);
        join(ns, "toD", nsDatabase, "g" + n, "192.168.60." + n + "/24");
        join(ns, "toC", nsClient, "g" + n, clientSideAddress(n) + "/24");
        join(ns, "toK", nsCorp, "g" + n, "192.168.50." + n + "/24");
        ns.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // replies from K come back to this gateway's own address (see the class comment for why)
        ns.execOk("nft", "add table ip wirehaven_test_nat");
        ns.execOk("nft", "add chain ip wirehaven_test_nat postrouting { type nat hook postrouting priority srcnat; }");
        ns.execOk("nft", "add rule ip wirehaven_test_nat postrouting oifname \"toK\" masquerade");
        return ns;
    }

    @AfterAll
    void removeEverything() throws Exception {
        // in this order: the client and the nodes, the database (its pg_ctl runs in D), then the hubs
        List<AutoCloseable> steps = new ArrayList<>();
        steps.add(nsClient);
        steps.addAll(nsGateways);
        steps.add(database);
        steps.add(standby);
        steps.add(nsCorp);
        steps.add(nsDatabase);
        for (Path dir : netnsEtc) {
            steps.add(() -> TestFiles.deleteTree(dir));
        }
        for (GatewayNode node : nodes) {
            // a node killed with SIGKILL leaves its UAPI socket behind, and every node its stats socket
            steps.add(() -> {
                Files.deleteIfExists(Path.of("/var/run/wireguard", node.iface + ".sock"));
                Files.deleteIfExists(Path.of("/var/run/wireguard", node.iface + ".stats"));
            });
        }
        Exception first = null;
        for (AutoCloseable step : steps) {
            if (step == null) {
                continue; // the set-up ended before it made this part
            }
            try {
                step.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- 1. three nodes on one database: the schema is migrated once, each serves as its own node ----

    @Test
    @Order(1)
    void threeNodesStartOnOneDatabaseAndEachServesAsItsOwnNode() throws IOException {
        // a first start of g1 without its store: it makes the cluster's one certificate, and nothing else
        GatewayNode g1 = nodes.get(0);
        g1.start(HTTP_PORT, HTTPS_PORT);
        fingerprint = g1.await(Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9A-F:]{95})"), START_TIMEOUT)
                .group(1);
        Path tls = g1.home.resolve("data/tls");
        Eventually.await(
                "g1's keystore and its fingerprint file",
                START_TIMEOUT,
                () -> Files.exists(tls.resolve("keystore.p12")) && Files.exists(tls.resolve("fingerprint")),
                done -> done);
        g1.stop();
        for (GatewayNode node : nodes.subList(1, NODES)) {
            copyTls(tls, node.home.resolve("data/tls"));
        }

        // then all three at the same moment, on an empty database: the migrations' advisory lock lets one
        // node migrate each track while the others wait, and find it done
        for (GatewayNode node : nodes) {
            writeStoreConfig(node);
        }
        for (GatewayNode node : nodes) {
            node.start(HTTP_PORT, HTTPS_PORT);
        }

        for (GatewayNode node : nodes) {
            node.await(
                    Pattern.compile("Session flow serving WireGuard interface " + node.iface + " as gateway node "
                            + node.name + "\\b"),
                    START_TIMEOUT);
            assertEquals(
                    fingerprint,
                    node.await(Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9A-F:]{95})"), START_TIMEOUT)
                            .group(1),
                    node.name + " presents the cluster's certificate");
        }
        // every track of the schema was migrated by exactly one node; the others found it done
        List<String> tracks = List.of(database.sqlInGatewayDatabase(
                        "SELECT string_agg(DISTINCT track, ',' ORDER BY track) FROM schema_history")
                .split(","));
        List<String> migrated = new ArrayList<>();
        for (GatewayNode node : nodes) {
            Matcher m =
                    Pattern.compile("Store schema (\\S+) migrated to version").matcher(node.output());
            while (m.find()) {
                migrated.add(m.group(1));
            }
        }
        assertTrue(tracks.contains("sessions"), "the sessions' schema is in the database: " + tracks);
        assertEquals(tracks, migrated.stream().sorted().toList(), "each track migrated once, by one node");
        Eventually.await(
                "a heartbeat row of each node",
                SPREAD_TIMEOUT,
                () -> database.sqlInGatewayDatabase("SELECT string_agg(name, ',' ORDER BY name) FROM gateway_nodes"),
                names -> names.equals("g1,g2,g3"));

        // one user, added once on g1 (through its admin socket): it is in the database for every node
        g1.admin(
                        "user",
                        "add",
                        "alice",
                        "--password-file",
                        passwordFile("alice", "correct horse alice").toString())
                .requireOk();
    }

    // ---- 2. the client logs in through g1; its peer is pre-staged on every node -------------------------

    @Test
    @Order(2)
    void theClientLogsInThroughG1AndItsPeerIsPreStagedOnEveryNode() throws IOException {
        aliceClient = connect(1);
        // the tunnel goes to the node with the most headroom (placement), which need not be g1
        Matcher connected =
                awaitClient(Pattern.compile("Connected: (10\\.8\\.0\\.\\d+)/32 via 198\\.18\\.0\\.(\\d):" + WG_PORT));
        tunnelAddress = connected.group(1);
        tunnelNode = nodes.get(Integer.parseInt(connected.group(2)) - 1);
        assertPing(CORPORATE_HOST);

        String key = stateField("publicKey");
        assertTrue(tunnelNode.peers().contains(key), "the client's peer is on " + tunnelNode.name);
        long start = System.nanoTime();
        for (GatewayNode node : nodes) {
            Eventually.await(
                    "the client's peer on " + node.name + " (pre-staged)",
                    SPREAD_TIMEOUT,
                    node::peers,
                    peers -> peers.contains(key));
        }
        System.out.println("gateway cluster: logged in through g1, tunnel through " + tunnelNode.name
                + "; the client's peer was on every node " + (System.nanoTime() - start) / 1_000_000
                + " ms after the client said it was connected");
    }

    // ---- 3. the client's gateway dies (SIGKILL) under traffic: it moves on, same session, no login -------

    @Test
    @Order(3)
    void killingTheClientsGatewayMovesItToAnotherNodeWithItsSessionAndWithoutANewLogin() throws IOException {
        GatewayNode lost = tunnelNode;
        String sessionId = stateField("sessionId");
        String key = stateField("publicKey");
        int clientOutputBefore = clientOutput().length();
        Path probeLog = logDir.resolve("failover-ping.out");
        Process probe = nsClient.spawn(probeLog, Map.of(), "ping", "-D", "-n", "-i", "0.2", "-W", "1", CORPORATE_HOST);
        try {
            Eventually.await(
                    "ping replies from " + CORPORATE_HOST + " through " + lost.name,
                    CONNECT_TIMEOUT,
                    () -> replies(probeLog).size(),
                    n -> n >= 5);

            lost.kill();
            long dead = System.currentTimeMillis();
            assertTrue(lost.ns.pids().isEmpty(), "nothing of " + lost.name + " runs any more: " + lost.ns.pids());

            Matcher moved = awaitClientAfter(
                    clientOutputBefore,
                    // the client names the gateway it was given by its endpoint's host, the others by their names
                    Pattern.compile("(?i)moved from gateway \\S+ \\("
                            + Pattern.quote(clientSideAddress(nodes.indexOf(lost) + 1) + ":" + WG_PORT)
                            + "\\) to (g\\d) \\((\\S+)\\) after (\\d+) ms without a new login"),
                    FAILOVER_BOUND);
            int to = Integer.parseInt(moved.group(1).substring(1));
            GatewayNode now = nodes.get(to - 1);
            servingNode = now;
            assertTrue(now != lost, "moved to another node: " + moved.group());
            assertEquals(clientSideAddress(to) + ":" + WG_PORT, moved.group(2), "the endpoint that the list gave");
            List<Long> after = Eventually.await(
                    "a ping reply through " + now.name + " after " + lost.name + " died",
                    FAILOVER_BOUND,
                    () -> replies(probeLog).stream().filter(t -> t > dead).toList(),
                    l -> !l.isEmpty());
            long lastBefore = replies(probeLog).stream()
                    .filter(t -> t <= dead)
                    .max(Long::compare)
                    .orElseThrow();
            long gap = after.get(0) - lastBefore;
            System.out.println("gateway failover gap: " + gap + " ms (last reply through " + lost.name
                    + " to first through " + now.name + "; the client says it moved after " + moved.group(3)
                    + " ms)");
            assertTrue(gap < FAILOVER_BOUND.toMillis(), "gateway failover gap: " + gap + " ms");

            // the same session, on the node it moved to; no second login anywhere
            assertEquals(sessionId, stateField("sessionId"), "the client kept its session");
            assertEquals(key, stateField("publicKey"), "the client kept its key");
            int shellOffset = now.output().length();
            now.shell("wirehaven:sessions");
            now.awaitAfter(shellOffset, Pattern.compile(Pattern.quote(sessionId)), SPREAD_TIMEOUT);
            // the client reports the moved connection as connected again: same address, the new gateway
            assertTrue(
                    clientOutput().contains("Connected: " + tunnelAddress + "/32 via " + moved.group(2)),
                    clientOutput());
            assertFalse(clientOutput().contains("Starting a new session"), clientOutput());
            assertEquals(1, count(clientOutput(), "Authenticated as alice"), clientOutput());
            assertEquals(
                    1, count(nodes.get(0).output(), "detail=authenticated as 'alice'"), "alice logged in on g1 once");
            for (GatewayNode node : nodes.subList(1, NODES)) {
                assertEquals(
                        0,
                        count(node.output(), "detail=authenticated as 'alice'"),
                        "no login on " + node.name + ":\n" + TestFiles.tail(node.output(), 40));
            }
            assertPing(CORPORATE_HOST);
        } finally {
            probe.destroy();
        }
    }

    // ---- 4. the lost node comes back with every session; a drain moves the client; a session ended through one
    // node leaves all ----

    @Test
    @Order(4)
    void aSessionRevokedOnG3AndTheClientsDisconnectLeaveEveryNode() throws IOException, InterruptedException {
        GatewayNode g3 = nodes.get(2);
        List<GatewayNode> live = nodes;

        // the killed node restarts: the client's session, carried on by another node meanwhile, is put
        // back on its device, and its restart ends nothing that the other nodes serve
        GatewayNode back = tunnelNode;
        int before = back.output().length();
        back.start(HTTP_PORT, HTTPS_PORT);
        back.awaitAfter(
                before,
                Pattern.compile("Session flow serving WireGuard interface " + back.iface + " as gateway node "
                        + back.name + "\\b"),
                START_TIMEOUT);
        String clientKey = stateField("publicKey");
        awaitOnEvery(List.of(back), clientKey, true);
        assertPing(CORPORATE_HOST);

        // an upgrade: the node that serves the client is drained; the client moves on, without a new login
        drainMovesTheClientWithoutANewLogin(servingNode, clientKey);

        // a session set up through g2's control API, as any client would, revoked by g3's operator
        String key = Topology.newPublicKey();
        Api api = new Api(nsClient, controlUrl(2));
        Api.Answer challenge =
                api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + key + "\",\"deviceName\":\"curl\"}");
        assertEquals(201, challenge.status(), challenge.toString());
        String sessionId = challenge.field("sessionId");
        Api.Answer grant = api.call(
                "POST",
                "/api/v1/sessions/" + sessionId + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"correct horse alice\"}");
        assertEquals(200, grant.status(), grant.toString());
        Api.Answer configured = api.call(
                "PUT",
                "/api/v1/sessions/" + sessionId + "/client-config",
                grant.field("token"),
                "{\"publicKey\":\"" + key + "\",\"allowedIps\":[]}");
        assertEquals(200, configured.status(), configured.toString());
        awaitOnEvery(live, key, true);

        int offset = g3.output().length();
        g3.shell("wirehaven:revoke " + sessionId);
        g3.awaitAfter(offset, Pattern.compile("Session " + Pattern.quote(sessionId) + ".* revoked"), SPREAD_TIMEOUT);
        long start = System.nanoTime();
        awaitOnEvery(live, key, false);
        System.out.println("gateway cluster: a session revoked on g3 left every node within "
                + (System.nanoTime() - start) / 1_000_000 + " ms");

        // the client's own disconnect, from another shell: it goes to the node the client is on now
        Command.Result result =
                clientCommand("disconnect", "--interface", clientIface).requireOk();
        assertTrue(result.stdout().contains(clientIface + ": disconnected"), result.stdout());
        assertTrue(aliceClient.waitFor(30, TimeUnit.SECONDS), "the client's connect process ended");
        awaitOnEvery(live, clientKey, false);
    }

    /**
     * {@code wirehaven:drain} on the node that carries the client's tunnel: it takes its session peers off,
     * the client (sending pings) finds its gateway silent and moves to another node with the same
     * session; {@code wirehaven:undrain} puts the node back and it holds the client's peer again.
     */
    private void drainMovesTheClientWithoutANewLogin(GatewayNode drained, String clientKey) throws IOException {
        String sessionId = stateField("sessionId");
        int clientOutputBefore = clientOutput().length();
        Path probeLog = logDir.resolve("drain-ping.out");
        Process probe = nsClient.spawn(probeLog, Map.of(), "ping", "-D", "-n", "-i", "0.2", "-W", "1", CORPORATE_HOST);
        try {
            Eventually.await(
                    "ping replies before the drain",
                    CONNECT_TIMEOUT,
                    () -> replies(probeLog).size(),
                    n -> n >= 3);
            int offset = drained.output().length();
            drained.shell("wirehaven:drain");
            drained.awaitAfter(offset, Pattern.compile("Node " + drained.name + " drained"), SPREAD_TIMEOUT);
            long drainedAt = System.currentTimeMillis();
            awaitOnEvery(List.of(drained), clientKey, false);

            Matcher moved = awaitClientAfter(
                    clientOutputBefore,
                    Pattern.compile("(?i)moved from gateway " + drained.name
                            + " \\(\\S+\\) to (g\\d) \\((\\S+)\\) after (\\d+) ms" + " without a new login"),
                    FAILOVER_BOUND);
            assertFalse(moved.group(1).equals(drained.name), moved.group());
            List<Long> after = Eventually.await(
                    "a ping reply through " + moved.group(1) + " after the drain",
                    FAILOVER_BOUND,
                    () -> replies(probeLog).stream().filter(t -> t > drainedAt).toList(),
                    l -> !l.isEmpty());
            System.out.println("gateway cluster: " + drained.name + " drained, the client moved to " + moved.group(1)
                    + "; first ping reply " + (after.get(0) - drainedAt) + " ms after the drain");
            assertEquals(sessionId, stateField("sessionId"), "the client kept its session");
            assertFalse(clientOutput().contains("Starting a new session"), clientOutput());
            assertEquals(1, count(clientOutput(), "Authenticated as alice"), clientOutput());

            offset = drained.output().length();
            drained.shell("wirehaven:undrain");
            drained.awaitAfter(offset, Pattern.compile("Node " + drained.name + " in service again"), SPREAD_TIMEOUT);
            awaitOnEvery(List.of(drained), clientKey, true);
        } finally {
            probe.destroy();
        }
    }

    // ---- 5. PostgreSQL stops under traffic: the tunnel carries on; logins work again once it is back ----

    @Test
    @Order(5)
    void aTunnelCarriesOnWhilePostgresIsDownAndLoginsWorkAgainOnceItIsBack() throws IOException {
        GatewayNode g2 = nodes.get(1);
        int clientOutputBefore = clientOutput().length();
        aliceClient = connect(2);
        awaitClientAfter(
                clientOutputBefore,
                Pattern.compile("Connected: (10\\.8\\.0\\.\\d+)/32 via 198\\.18\\.0\\.\\d:" + WG_PORT),
                CONNECT_TIMEOUT);
        assertPing(CORPORATE_HOST);
        String key = stateField("publicKey");
        awaitOnEvery(nodes, key, true);

        Path probeLog = logDir.resolve("database-down-ping.out");
        Process probe = nsClient.spawn(probeLog, Map.of(), "ping", "-D", "-n", "-i", "0.2", "-W", "1", CORPORATE_HOST);
        try {
            Eventually.await(
                    "ping replies", CONNECT_TIMEOUT, () -> replies(probeLog).size(), n -> n >= 3);
            int clientOutputAtStop = clientOutput().length();
            database.stop();
            long down = System.currentTimeMillis();

            // a login while the database is down: 503, and when to try again
            Command.Result duringOutage = nsClient.exec(
                    60,
                    Map.of(),
                    "curl",
                    "-sk",
                    "-i",
                    "--max-time",
                    "30",
                    "-H",
                    "Content-Type: application/json",
                    "--data-binary",
                    "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}",
                    controlUrl(3) + "/api/v1/sessions");
            String refused = duringOutage.stdout().replace("\r", "");
            System.out.println("gateway cluster: a login on g3 while PostgreSQL is down got:\n" + refused);
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.matches("(?is).*\nretry-after: 5\n.*"), refused);

            Netns.sleep(Math.max(0, 10_000 - (System.currentTimeMillis() - down)));
            long up = System.currentTimeMillis();
            List<Long> duringDown =
                    replies(probeLog).stream().filter(t -> t > down).toList();
            long longestSilence = longestSilence(down, duringDown, up);
            System.out.println("gateway cluster: while PostgreSQL was down for " + (up - down) + " ms, "
                    + duringDown.size() + " ping replies came through the tunnel; the longest silence was "
                    + longestSilence + " ms");
            assertFalse(duringDown.isEmpty(), "the tunnel carried traffic while PostgreSQL was down");
            assertTrue(
                    longestSilence < OUTAGE_SILENCE_BOUND.toMillis(),
                    "the tunnel kept carrying traffic while PostgreSQL was down (longest silence " + longestSilence
                            + " ms)\n---- client:\n" + TestFiles.tail(clientOutput(), 30) + "\n---- g2:\n"
                            + TestFiles.tail(g2.output(), 30));
            for (GatewayNode node : nodes) {
                assertTrue(node.peers().contains(key), "the client's peer stayed on " + node.name);
            }

            database.startAgain();
            long restarted = System.nanoTime();
            String newKey = Topology.newPublicKey();
            Api api = new Api(nsClient, controlUrl(3));
            Eventually.await(
                    "a login on g3 once PostgreSQL is back",
                    CONNECT_TIMEOUT,
                    () -> login(api, newKey),
                    done -> done.answer().status() == 200);
            System.out.println("gateway cluster: a login on g3 worked again "
                    + (System.nanoTime() - restarted) / 1_000_000 + " ms after PostgreSQL was started again");
            awaitOnEvery(nodes, newKey, true);
            assertPing(CORPORATE_HOST);
            assertTrue(nodes.stream().allMatch(GatewayNode::isAlive), "no node was restarted");
            String meanwhile = clientOutput().substring(clientOutputAtStop);
            System.out.println("gateway cluster: what the client said from PostgreSQL's stop on:\n"
                    + (meanwhile.isBlank() ? "(nothing)\n" : meanwhile));
        } finally {
            probe.destroy();
        }
    }

    // ---- 6. the standby is promoted under traffic: no tunnel drops, logins work again ----------------

    @Test
    @Order(6)
    void aPromotedStandbyTakesOverUnderTrafficWithoutATunnelDropping() throws IOException {
        String key = stateField("publicKey");
        Eventually.await("the standby streams again", START_TIMEOUT, database::hasStreamingStandby, on -> on);
        String written = database.walPosition();
        Eventually.await(
                "the standby replays what the nodes wrote", START_TIMEOUT, () -> standby.replayed(written), t -> t);
        int clientOutputBefore = clientOutput().length();
        Path probeLog = logDir.resolve("promotion-ping.out");
        Process probe = nsClient.spawn(probeLog, Map.of(), "ping", "-D", "-n", "-i", "0.2", "-W", "1", CORPORATE_HOST);
        try {
            Eventually.await(
                    "ping replies", CONNECT_TIMEOUT, () -> replies(probeLog).size(), n -> n >= 3);

            // the primary crashes; the operator (or Patroni) promotes the standby
            database.crash();
            long down = System.currentTimeMillis();
            standby.promote();
            long promoted = System.nanoTime();
            primaryNow = standby;

            String newKey = Topology.newPublicKey();
            Api api = new Api(nsClient, controlUrl(1));
            Login done = Eventually.await(
                    "a login on g1 after the promotion",
                    CONNECT_TIMEOUT,
                    () -> login(api, newKey),
                    l -> l.answer().status() == 200);
            long loginAfter = (System.nanoTime() - promoted) / 1_000_000;
            System.out.println("gateway cluster: the standby was promoted; a login on g1 worked again " + loginAfter
                    + " ms after pg_ctl promote returned (goal: 10 s), its tunnel placed on " + done.endpoint());
            // the new session's peer on every node: the change feed follows the promoted server too
            awaitOnEvery(nodes, newKey, true);

            long up = System.currentTimeMillis();
            List<Long> during = replies(probeLog).stream().filter(t -> t > down).toList();
            long longestSilence = longestSilence(down, during, up);
            System.out.println("gateway cluster: from the primary's crash to the peer on every node (" + (up - down)
                    + " ms), " + during.size() + " ping replies came through the tunnel; the longest silence was "
                    + longestSilence + " ms");
            assertTrue(
                    longestSilence < OUTAGE_SILENCE_BOUND.toMillis(),
                    "the tunnel carried traffic through the promotion (longest silence " + longestSilence + " ms)\n"
                            + "---- client:\n" + TestFiles.tail(clientOutput(), 30));
            String meanwhile = clientOutput().substring(clientOutputBefore);
            assertFalse(meanwhile.contains("Moved from gateway"), meanwhile);
            assertFalse(meanwhile.contains("Starting a new session"), meanwhile);
            for (GatewayNode node : nodes) {
                assertTrue(node.peers().contains(key), "the client's peer stayed on " + node.name);
            }
            assertTrue(nodes.stream().allMatch(GatewayNode::isAlive), "no node was restarted");
            assertEquals("f", standby.sql("SELECT pg_is_in_recovery()"), "the standby takes writes now");
        } finally {
            probe.destroy();
        }
    }

    // ---- 7. a fourth node joins: it takes the next session ---------------------------------------------

    @Test
    @Order(7)
    void aFourthNodeThatJoinsTakesTheNextSession() throws IOException, InterruptedException {
        // the client ends its session, so that it can log in anew once the fourth node is there
        clientCommand("disconnect", "--interface", clientIface).requireOk();
        assertTrue(aliceClient.waitFor(30, TimeUnit.SECONDS), "the client's connect process ended");

        // every node serves at least two sessions (sessions that never handshake, as a busy cluster has):
        // half its capacity, a margin that a node's CPU average does not eat on a busy test machine
        Api api = new Api(nsClient, controlUrl(1));
        for (int i = 0; i < 3 * NODES && !everyNodeServes(2); i++) {
            Login l = login(api, Topology.newPublicKey());
            assertEquals(200, l.answer().status(), l.answer().toString());
        }
        assertTrue(everyNodeServes(2), openSessionsByGateway());

        Netns ns = gatewayNamespace(MOST_NODES);
        GatewayNode g4 = newNode(MOST_NODES, ns);
        nodes.add(g4);
        copyTls(nodes.get(0).home.resolve("data/tls"), g4.home.resolve("data/tls"));
        writeStoreConfig(g4);
        g4.start(HTTP_PORT, HTTPS_PORT);
        g4.await(
                Pattern.compile("Session flow serving WireGuard interface " + g4.iface + " as gateway node g4\\b"),
                START_TIMEOUT);
        // its heartbeat: alive, and its start's CPU spent (a busy node has less headroom, and rightly)
        Eventually.await(
                "g4's heartbeat, with its start's CPU spent",
                START_TIMEOUT,
                () -> primaryNow.sqlInGatewayDatabase("SELECT count(*) FROM gateway_nodes WHERE name = 'g4'"
                        + " AND heartbeat_at > now() - interval '3 seconds' AND cpu_load < 0.2"),
                "1"::equals);
        String before = openSessionsByGateway();

        int clientOutputBefore = clientOutput().length();
        aliceClient = connect(1);
        Matcher connected = awaitClientAfter(
                clientOutputBefore,
                Pattern.compile("Connected: (10\\.8\\.0\\.\\d+)/32 via 198\\.18\\.0\\.(\\d):" + WG_PORT),
                CONNECT_TIMEOUT);
        System.out.println("gateway cluster: sessions by node before the login: " + before + "; the client's tunnel"
                + " went to 198.18.0." + connected.group(2));
        assertEquals(
                clientSideAddress(MOST_NODES),
                "198.18.0." + connected.group(2),
                "the new session went to the node that joined (sessions by node before: " + before + ")");
        assertPing(CORPORATE_HOST);
        awaitOnEvery(nodes, stateField("publicKey"), true);
        clientCommand("disconnect", "--interface", clientIface).requireOk();
        assertTrue(aliceClient.waitFor(30, TimeUnit.SECONDS), "the client's connect process ended");
    }

    // ---- 8. a user disabled through one node cannot log in through another until the undo -----------

    @Test
    @Order(8)
    void aUserDisabledOnOneNodeCannotLogInOnAnotherUntilItIsUndoneOnAThird() throws IOException {
        GatewayNode g1 = nodes.get(0);
        GatewayNode g2 = nodes.get(1);
        GatewayNode g3 = nodes.get(2);
        int offset = g1.output().length();
        g1.shell("wirehaven:disable alice 10m cluster-test");
        String id = g1.awaitAfter(
                        offset,
                        Pattern.compile("Response (r[0-9a-f]+): DISABLE_USER alice in force until"),
                        SPREAD_TIMEOUT)
                .group(1);
        long disabled = System.nanoTime();

        Api api = new Api(nsClient, controlUrl(3));
        int g3Offset = g3.output().length();
        Login refused = Eventually.await(
                "a login of alice through g3 refused",
                SPREAD_TIMEOUT,
                () -> login(api, Topology.newPublicKey()),
                l -> l.answer().status() != 200);
        System.out.println("gateway cluster: alice, disabled through g1, was refused a login through g3 "
                + (System.nanoTime() - disabled) / 1_000_000 + " ms later: " + refused.answer());
        g3.awaitAfter(g3Offset, Pattern.compile("a security response disabled the user"), SPREAD_TIMEOUT);

        offset = g2.output().length();
        g2.shell("wirehaven:undo " + id);
        g2.awaitAfter(offset, Pattern.compile("Response " + id + " undone"), SPREAD_TIMEOUT);
        long undone = System.nanoTime();
        Eventually.await(
                "a login of alice through g3 after the undo on g2",
                SPREAD_TIMEOUT,
                () -> login(api, Topology.newPublicKey()),
                l -> l.answer().status() == 200);
        System.out.println("gateway cluster: undone through g2, alice logged in through g3 again "
                + (System.nanoTime() - undone) / 1_000_000 + " ms later");
    }

    // ---- 9. a policy edit on one node is in force on every node -------------------------------------

    @Test
    @Order(9)
    void aPolicyEditOnOneNodeIsInForceOnEveryNode() throws IOException {
        GatewayNode g2 = nodes.get(1);
        Path file = g2.home.resolve("etc/policy.acl");
        String edited = Files.readString(file) + "\n# the cluster test's edit, made on g2\n"
                + "rule cluster-test-no-smtp: deny * -> * tcp/25\n";
        List<GatewayNode> others = nodes.stream().filter(n -> n != g2).toList();
        List<Integer> offsets = others.stream().map(n -> n.output().length()).toList();
        Files.writeString(file, edited);
        long edit = System.nanoTime();

        for (int i = 0; i < others.size(); i++) {
            GatewayNode node = others.get(i);
            Path theirs = node.home.resolve("etc/policy.acl");
            Eventually.await(
                    "g2's policy edit in " + node.name + "'s etc/policy.acl",
                    SPREAD_TIMEOUT,
                    () -> Files.readString(theirs),
                    edited::equals);
            node.awaitAfter(
                    offsets.get(i),
                    Pattern.compile("Policy version \\d+ from " + Pattern.quote(theirs.toString()) + " is in force"),
                    SPREAD_TIMEOUT);
        }
        System.out.println("gateway cluster: a policy edit on g2 was in force on " + others.size() + " other nodes "
                + (System.nanoTime() - edit) / 1_000_000 + " ms later");
    }

    private boolean everyNodeServes(int sessions) throws IOException {
        Map<String, Integer> open = new HashMap<>();
        for (String entry : openSessionsByGateway().split(",")) {
            String[] parts = entry.split("=");
            if (parts.length == 2) {
                open.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
            }
        }
        for (int n = 1; n <= NODES; n++) {
            if (open.getOrDefault("g" + n, 0) < sessions) {
                return false;
            }
        }
        return true;
    }

    /** {@code g1=2,g2=1,...}: the open sessions whose tunnels each node carries, as placement counts them. */
    private String openSessionsByGateway() throws IOException {
        return primaryNow.sqlInGatewayDatabase("SELECT string_agg(gateway || '=' || n, ',' ORDER BY gateway) FROM"
                + " (SELECT gateway, count(*) AS n FROM sessions WHERE closed_at IS NULL AND gateway IS NOT NULL"
                + " GROUP BY gateway) open");
    }

    // ---- the nodes -------------------------------------------------------------------------------

    /** Both servers of the database, the one that takes writes chosen by the store ({@code targetServerType}). */
    private void writeStoreConfig(GatewayNode node) throws IOException {
        node.writeEtc(
                STORE_PID + ".cfg",
                "url = " + database.urlWith(standby) + "\n" + "user = " + NetnsPostgres.ROLE + "\n"
                        + "password.file = etc/db.password\n");
    }

    private GatewayNode newNode(int n, Netns ns) throws IOException {
        String name = "g" + n;
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve(name));
        GatewayNode node = new GatewayNode(name, ns, home, "whg" + n + id, logDir.resolve(name + ".out"));

        Path config = home.resolve("etc/config.properties");
        String properties = Files.readString(config);
        assertTrue(properties.contains("wirehaven.store=embedded"), "etc/config.properties chooses the store");
        Files.writeString(config, properties.replace("wirehaven.store=embedded", "wirehaven.store=postgres"));
        NetnsPostgres.passwordFile(home.resolve("etc/db.password"), dbPassword);
        // every address clients reach a node at: the one certificate (g1's) serves all three
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= MOST_NODES; i++) {
            names.append(i == 1 ? "" : ", ").append(clientSideAddress(i));
        }
        Files.writeString(
                home.resolve("etc/" + TLS_PID + ".cfg"),
                Files.readString(home.resolve("etc/" + TLS_PID + ".cfg")) + "\nnames = " + names + "\n");
        node.writeEtc(
                INTERFACE_PID + "-" + node.iface + ".cfg",
                "name = " + node.iface + "\n" + "listenPort = " + WG_PORT + "\n" + "addresses = 10.8.0.1/24\n");
        node.writeEtc(
                SESSIONS_PID + ".cfg",
                "interface = " + node.iface + "\n"
                        + "subnet.v4 = " + TUNNEL_NET + "\n"
                        + "dns = " + PUSHED_DNS + "\n"
                        + "routes = " + TUNNEL_NET + ", " + CORPORATE_NET + "\n"
                        + "endpoint = " + clientSideAddress(n) + ":" + WG_PORT + "\n"
                        + "node.name = " + name + "\n"
                        + "node.control.url = " + controlUrl(n) + "\n"
                        + "node.capacity = " + NODE_CAPACITY + "\n"
                        // step 7 counts sessions that never handshake: they stay until it is done
                        + "setup.timeout = 10m\n");
        // the example monitoring sink logs every session event: each node's log shows the logins it made
        Files.copy(
                Distribution.pluginExample("wirehaven-example-monitor-log"),
                home.resolve("deploy/wirehaven-example-monitor-log.jar"));
        return node;
    }

    private static void copyTls(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.setPosixFilePermissions(to.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String clientSideAddress(int node) {
        return "198.18.0." + node;
    }

    private static String controlUrl(int node) {
        return "https://" + clientSideAddress(node) + ":" + HTTPS_PORT;
    }

    /** Waits until the key is on (or off) the interface of every node in {@code which}. */
    private static void awaitOnEvery(List<GatewayNode> which, String key, boolean on) {
        for (GatewayNode node : which) {
            Eventually.await(
                    "the peer " + key + (on ? " on " : " gone from ") + node.name,
                    SPREAD_TIMEOUT,
                    node::peers,
                    peers -> peers.contains(key) == on);
        }
    }

    /**
     * What a login through the control API came to: the last answer, and the WireGuard endpoint of the
     * node that placement chose for its tunnel (null when the login ended before the server config).
     */
    private record Login(Api.Answer answer, String endpoint) {}

    /** A whole login through the control API: challenge, password, server config, client config. */
    private static Login login(Api api, String key) throws IOException {
        Api.Answer challenge = api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + key + "\"}");
        if (challenge.status() != 201) {
            return new Login(challenge, null);
        }
        String sessionId = challenge.field("sessionId");
        Api.Answer grant = api.call(
                "POST",
                "/api/v1/sessions/" + sessionId + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"correct horse alice\"}");
        if (grant.status() != 200) {
            return new Login(grant, null);
        }
        Api.Answer server =
                api.call("GET", "/api/v1/sessions/" + sessionId + "/server-config", grant.field("token"), null);
        if (server.status() != 200) {
            return new Login(server, null);
        }
        // the first endpoint of the body is the config's own (the gateways' follow it)
        Api.Answer configured = api.call(
                "PUT",
                "/api/v1/sessions/" + sessionId + "/client-config",
                grant.field("token"),
                "{\"publicKey\":\"" + key + "\",\"allowedIps\":[]}");
        return new Login(configured, server.field("endpoint"));
    }

    // ---- the client ------------------------------------------------------------------------------

    private Process connect(int node) throws IOException {
        return nsClient.spawn(
                logDir.resolve(clientIface + ".out"),
                clientEnv(),
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                controlUrl(node),
                "--user",
                "alice",
                "--password-file",
                passwordFile("alice", "correct horse alice").toString(),
                "--interface",
                clientIface,
                "--device",
                "laptop-alice",
                "--fingerprint",
                fingerprint,
                "--config-dir",
                work.resolve("config-" + clientIface).toString());
    }

    private Command.Result clientCommand(String... args) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of(client.resolve("bin/wirehaven-client").toString()));
        argv.addAll(List.of(args));
        return nsClient.exec(60, clientEnv(), argv.toArray(String[]::new));
    }

    private Map<String, String> clientEnv() {
        return Map.of(
                "JAVA_HOME",
                System.getProperty("java.home"),
                "WIREHAVEN_CLIENT_RUN_DIR",
                work.resolve("run-" + clientIface).toString());
    }

    private Matcher awaitClient(Pattern pattern) {
        return awaitClientAfter(0, pattern, CONNECT_TIMEOUT);
    }

    private Matcher awaitClientAfter(int offset, Pattern pattern, Duration timeout) {
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ from the client",
                    timeout,
                    () -> {
                        String out = clientOutput();
                        Matcher m = pattern.matcher(out);
                        if (m.find(Math.min(offset, out.length()))) {
                            return m;
                        }
                        if (!aliceClient.isAlive()) {
                            throw new IllegalStateException(
                                    "the client exited with status " + aliceClient.exitValue() + ":\n" + out);
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n---- client:\n" + TestFiles.tail(clientOutput(), 60) + nodeTails(), e);
        }
    }

    private String clientOutput() {
        return TestFiles.read(logDir.resolve(clientIface + ".out"));
    }

    /** A field of the state file that {@code connect} keeps for {@code status} and {@code disconnect}. */
    private String stateField(String field) {
        Path state;
        try (Stream<Path> files = Files.list(work.resolve("run-" + clientIface))) {
            state = files.filter(
                            f -> f.getFileName().toString().matches(Pattern.quote(clientIface) + "\\.ns\\d+\\.json"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no state file of " + clientIface));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json = TestFiles.read(state);
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), "no " + field + " in " + json);
        return m.group(1);
    }

    private Path passwordFile(String user, String password) throws IOException {
        return NetnsPostgres.passwordFile(work.resolve("password-" + user), password);
    }

    // ---- the network -----------------------------------------------------------------------------

    /** A bridge {@code br0} in {@code ns} with {@code address}: the one LAN that the gateways join. */
    private static void bridge(Netns ns, String address) throws IOException {
        ns.execOk("ip", "link", "add", "br0", "type", "bridge");
        ns.execOk("ip", "address", "add", address, "dev", "br0");
        ns.execOk("ip", "link", "set", "br0", "up");
    }

    /** A veth from the gateway's {@code ifGateway} to {@code hubPort} on the hub's bridge; the address on the gateway's end. */
    private static void join(Netns gateway, String ifGateway, Netns hub, String hubPort, String address)
            throws IOException {
        Netns.veth(gateway, ifGateway, hub, hubPort);
        hub.execOk("ip", "link", "set", hubPort, "master", "br0");
        gateway.execOk("ip", "address", "add", address, "dev", ifGateway);
    }

    /** Gives {@code ns} its own resolv.conf, which {@code ip netns exec} binds over /etc/resolv.conf. */
    private void resolvConf(Netns ns, String content) throws IOException {
        Path dir = Path.of("/etc/netns", ns.name);
        Files.createDirectories(dir);
        netnsEtc.add(dir);
        Files.writeString(dir.resolve("resolv.conf"), content);
    }

    private void assertPing(String to) throws IOException {
        assertTrue(
                Topology.ping(nsClient, to, 3, 20),
                "ping " + to + " from the client failed\n---- client:\n" + TestFiles.tail(clientOutput(), 40)
                        + nodeTails());
    }

    private String nodeTails() {
        StringBuilder out = new StringBuilder();
        for (GatewayNode node : nodes) {
            out.append("\n---- ").append(node.name).append(":\n").append(TestFiles.tail(node.output(), 30));
        }
        return out.toString();
    }

    /** The times (epoch milliseconds) of the replies in the log of {@code ping -D}. */
    private static List<Long> replies(Path log) {
        List<Long> times = new ArrayList<>();
        Matcher m = REPLY.matcher(TestFiles.read(log));
        while (m.find()) {
            String fraction = (m.group(2) + "000").substring(0, 3);
            times.add(Long.parseLong(m.group(1)) * 1000 + Long.parseLong(fraction));
        }
        return times;
    }

    /** The longest time without a reply between {@code from} and {@code to}. */
    private static long longestSilence(long from, List<Long> replies, long to) {
        long longest = 0;
        long previous = from;
        for (long t : replies) {
            if (t > to) {
                break;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return Math.max(longest, to - previous);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
