package dev.wirehaven.benchmarks.cluster;

import dev.wirehaven.benchmarks.sessions.LoadBatch;
import dev.wirehaven.benchmarks.sessions.LoadBatch.Client;
import dev.wirehaven.benchmarks.sessions.LoadCredentials;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.WirehavenClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway cluster benchmark (issue 13), the load generator half of {@code benchmarks/gateway-cluster.sh}:
 * many clients built on the client SDK connect through one node's control API to a cluster of gateway
 * nodes on one PostgreSQL, and the placement hands out their tunnels over all nodes. With
 * {@code --crash-primary} and {@code --promote}, the database's primary then crashes under probing
 * clients and its streaming standby is promoted ({@link PrimaryPromotion}). Then some clients
 * of one node probe through their tunnels while that node's JVM is killed with SIGKILL, and each
 * client's gap (last answer through the dead node to the first through the node it moved to) is
 * measured, with the logins that happened meanwhile (the goal: none).
 *
 * <pre>
 *   N x connect() through node 1 ── settle ── placement (database, and as the clients see it)
 *   probes on F clients of all nodes ── crash the primary, promote the standby ── silences, sessions, a new login
 *   probes on F clients of node K ── kill -9 K ── first answer of each ── gaps, logins after the kill
 * </pre>
 *
 * A benchmark, not a test: it reports, and judges nothing but the goals it prints beside the figures.
 */
public final class GatewayCluster {

    /** The placement goal: every node within this share of the even count. */
    private static final double GOAL_DEVIATION_PERCENT = 10;
    /** The failover goal: traffic lost when a gateway is killed. */
    private static final long GOAL_GAP_MILLIS = 5000;

    private final ClusterSettings settings;
    private final List<String> result = new ArrayList<>();
    private final Map<Client, ClientEvents> events = new HashMap<>();

    private GatewayCluster(ClusterSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        ClusterSettings settings;
        try {
            settings = ClusterSettings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("gateway-cluster: " + e.getMessage());
            }
            System.err.print(ClusterSettings.USAGE);
            System.exit(2);
            return;
        }
        new GatewayCluster(settings).run();
        // the clients stay connected until the script tears the cluster down; their threads are daemons
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "gateway-cluster: %s%n", settings);
        Path knownServers = Files.createTempFile("gateway-cluster-known", ".txt");
        LoadBatch batch = LoadBatch.prepare("cluster", settings.clients());
        for (Client c : batch.clients()) {
            ClientEvents e = new ClientEvents();
            events.put(c, e);
            c.listeners.add(e);
        }
        try (WirehavenClient server = WirehavenClient.builder(settings.server())
                .knownServers(knownServers)
                .fingerprint(settings.fingerprint())
                .build()) {
            connect(server, batch);
            placement(batch);
            if (settings.promotes()) {
                new PrimaryPromotion(settings, this::sql, events, this::nodeOf, result).run(server, batch);
            }
            if (settings.kill() != null && settings.failoverClients() > 0) {
                failover(batch);
            }
        } finally {
            Files.deleteIfExists(knownServers);
        }
        System.out.println();
        System.out.println("== result");
        result.forEach(System.out::println);
    }

    private void connect(WirehavenClient server, LoadBatch batch) throws InterruptedException {
        System.out.printf(
                Locale.ROOT,
                "%n== connect: %d clients through %s, ramp %.1f s%n",
                settings.clients(),
                settings.server(),
                settings.ramp().toMillis() / 1000.0);
        HeartbeatSampler cpu = new HeartbeatSampler(this::sql);
        cpu.start();
        try {
            batch.connect(
                    server,
                    settings.user(),
                    LoadCredentials.token(settings.token()),
                    settings.ramp(),
                    settings.connectors());
        } finally {
            cpu.stop();
        }
        System.out.printf(
                Locale.ROOT,
                "  %d of %d connected, %d failed, %.2f s from the first start to the last outcome%n",
                batch.connected(),
                settings.clients(),
                batch.failureCount(),
                batch.wallNanos() / 1e9);
        batch.failures().forEach((text, n) -> System.out.printf(Locale.ROOT, "  failed x%d: %s%n", n, text));
        result.add(String.format(
                Locale.ROOT,
                "clients %d through %s (ramp %.1f s): %d connected, %d failures, %.1f s",
                settings.clients(),
                settings.server(),
                settings.ramp().toMillis() / 1000.0,
                batch.connected(),
                batch.failureCount(),
                batch.wallNanos() / 1e9));
        batch.failures().forEach((text, n) -> result.add(String.format(Locale.ROOT, "  failure x%d: %s", n, text)));
        String load = cpu.summary();
        System.out.println(
                "  nodes' CPU use (gateway_nodes.cpu_load, of all cores) while the clients connected: " + load);
        result.add("  nodes' CPU use while the clients connected (heartbeats, mean/max of all cores): " + load);
    }

    // ---- placement ---------------------------------------------------------------------------------------

    /** A session that has no gateway: its setup ended before the server config, where placement happens. */
    private static final String UNPLACED = "(no gateway)";

    private void placement(LoadBatch batch) throws IOException, InterruptedException {
        Thread.sleep(settings.settle().toMillis());
        Map<String, Integer> stored = new TreeMap<>();
        for (String row : sql("SELECT gateway, count(*) FROM sessions WHERE closed_at IS NULL GROUP BY gateway"
                + " ORDER BY gateway")) {
            String[] cols = row.split("\\|", -1);
            stored.put(cols[0].isEmpty() ? UNPLACED : cols[0], Integer.parseInt(cols[1].strip()));
        }
        Map<String, Integer> seen = new TreeMap<>();
        for (Client c : batch.clients()) {
            Connection conn = c.connection;
            if (conn != null) {
                seen.merge(nodeOf(conn.status()), 1, Integer::sum);
            }
        }
        // even is of the placed sessions: one whose client failed before its server config has no gateway
        int unplaced = stored.getOrDefault(UNPLACED, 0);
        int total = stored.values().stream().mapToInt(Integer::intValue).sum() - unplaced;
        double even = (double) total / settings.nodes().size();
        System.out.printf(
                Locale.ROOT,
                "%n== placement: %d open sessions with a gateway over %d nodes, %d without (setup ended before"
                        + " the server config)%n",
                total,
                settings.nodes().size(),
                unplaced);
        double worst = 0;
        StringBuilder perNode = new StringBuilder();
        for (ClusterSettings.Node n : settings.nodes()) {
            int count = stored.getOrDefault(n.name(), 0);
            double deviation = even == 0 ? 0 : (count - even) / even * 100;
            worst = Math.max(worst, Math.abs(deviation));
            System.out.printf(
                    Locale.ROOT,
                    "  %-6s %4d sessions in the database (%+.1f %% of even), %4d clients use its endpoint %s%n",
                    n.name(),
                    count,
                    deviation,
                    seen.getOrDefault(n.name(), 0),
                    n.endpoint());
            perNode.append(perNode.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %d (%+.1f %%)", n.name(), count, deviation));
        }
        stored.keySet().stream()
                .filter(g -> !g.equals(UNPLACED)
                        && settings.nodes().stream().noneMatch(n -> n.name().equals(g)))
                .forEach(g -> System.out.printf(
                        Locale.ROOT, "  %-6s %4d sessions (not a node of this run)%n", g, stored.get(g)));
        result.add(String.format(
                Locale.ROOT,
                "placement (SELECT gateway, count(*) FROM sessions WHERE closed_at IS NULL GROUP BY gateway): %s;"
                        + " even %.1f; %d open sessions without a gateway",
                perNode,
                even,
                unplaced));
        result.add(String.format(
                Locale.ROOT,
                "  largest deviation from even: %.1f %%   [goal within ±%.0f %%: %s]",
                worst,
                GOAL_DEVIATION_PERCENT,
                total > 0 && worst <= GOAL_DEVIATION_PERCENT ? "met" : "missed"));
        result.add("  as the clients see it (their WireGuard endpoint): " + seen);
    }

    private String nodeOf(ConnectionStatus status) {
        InetSocketAddress ep = status.endpoint();
        if (ep == null) {
            return "(no endpoint)";
        }
        String text =
                (ep.getAddress() == null ? ep.getHostString() : ep.getAddress().getHostAddress()) + ":" + ep.getPort();
        ClusterSettings.Node n = settings.nodeAt(text);
        return n == null ? text : n.name();
    }

    // ---- failover ----------------------------------------------------------------------------------------

    private void failover(LoadBatch batch) throws Exception {
        ClusterSettings.Node victim = settings.node(settings.kill());
        Inet4Address target = (Inet4Address) InetAddress.getByName(settings.probeTarget());
        List<TunnelProbe> probes = new ArrayList<>();
        for (Client c : batch.clients()) {
            Connection conn = c.connection;
            if (probes.size() == settings.failoverClients() || conn == null) {
                continue;
            }
            ConnectionStatus s = conn.status();
            if (nodeOf(s).equals(victim.name()) && !s.addresses().isEmpty()) {
                String address = s.addresses().get(0);
                InetAddress source = InetAddress.getByName(address.substring(0, address.indexOf('/')));
                if (source instanceof Inet4Address v4) {
                    probes.add(new TunnelProbe(c, v4, target, settings.probeInterval()));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n== failover: %d clients of %s probe %s every %d ms through their tunnels%n",
                probes.size(),
                victim.name(),
                target.getHostAddress(),
                settings.probeInterval().toMillis());
        if (probes.isEmpty()) {
            result.add("failover: no client of " + victim.name() + " to probe with (placement gave it none)");
            return;
        }
        probes.forEach(TunnelProbe::start);
        // at least --probe-warmup of steady traffic before the kill, and 20 answers of each client
        List<TunnelProbe> answering = TunnelProbe.warmUp(probes, settings.probeWarmup());
        for (TunnelProbe p : probes) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s %-14s %d of %d probes answered before the kill%n",
                    p.client().device,
                    p.source().getHostAddress(),
                    p.answered(),
                    p.sent());
        }
        if (answering.isEmpty()) {
            probes.forEach(this::stopQuietly);
            result.add("failover: none of the " + probes.size() + " probing clients got an answer through "
                    + victim.name() + " before the kill; nothing measured");
            return;
        }
        long sessionsBefore = count("SELECT count(*) FROM sessions");
        long loginsBefore = count("SELECT count(*) FROM event_log WHERE detail LIKE 'authenticated as %'");

        long killedAt = System.nanoTime();
        ProcessHandle node = ProcessHandle.of(victim.pid())
                .orElseThrow(
                        () -> new IllegalStateException(victim.name() + " (pid " + victim.pid() + ") is not running"));
        node.destroyForcibly(); // SIGKILL: nothing of the JVM runs afterwards
        boolean dead =
                node.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null;
        System.out.printf(
                Locale.ROOT,
                "  killed %s (pid %d, SIGKILL): %s%n",
                victim.name(),
                victim.pid(),
                dead
                        ? "gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms later"
                        : "STILL RUNNING after 30 s");

        long deadline = killedAt + settings.failoverWait().toNanos();
        // the first answers after the kill may be replies that were on their way: wait for a run of them
        while (System.nanoTime() < deadline && answering.stream().anyMatch(p -> p.answeredSince(killedAt) < 40)) {
            Thread.sleep(100);
        }
        // the moves settle: status reports and the gateway column catch up
        Thread.sleep(2000);
        long end = System.nanoTime();
        // the answers resumed: at least one in the last second
        long recent = TimeUnit.SECONDS.toNanos(1) + 2 * settings.probeInterval().toNanos();
        long sessionsAfter = count("SELECT count(*) FROM sessions");
        long loginsAfter = count("SELECT count(*) FROM event_log WHERE detail LIKE 'authenticated as %'");
        answering.forEach(this::stopQuietly);

        List<Long> gaps = new ArrayList<>();
        Map<TunnelProbe, Long> gapOf = new HashMap<>();
        int clientLogins = 0;
        int newSessions = 0;
        int moved = 0;
        System.out.println("  client        tunnel address  gap (ms)  the client's own account");
        for (TunnelProbe p : answering) {
            long outage = p.outage(killedAt, end, recent);
            long gap = outage < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(outage);
            gapOf.put(p, gap);
            ClientEvents e = events.get(p.client());
            ClientEvents.Heard move = e.first(ClientEvents.MOVED, killedAt);
            clientLogins += e.count(ClientEvents.AUTHENTICATED, killedAt);
            newSessions += e.count(ClientEvents.NEW_SESSION, killedAt);
            moved += move == null ? 0 : 1;
            if (gap >= 0) {
                gaps.add(gap);
            }
            String where = p.client().connection == null
                    ? ""
                    : nodeOf(p.client().connection.status());
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s  %-14s  %8s  now on %s; %s%n",
                    p.client().device,
                    p.source().getHostAddress(),
                    gap < 0 ? "no answer" : Long.toString(gap),
                    where,
                    move == null ? "no move reported" : move.event().message());
            for (ClientEvents.Heard h : e.since(killedAt)) {
                System.out.printf(
                        Locale.ROOT,
                        "      +%5d ms %s%n",
                        TimeUnit.NANOSECONDS.toMillis(h.nanos() - killedAt),
                        h.event());
            }
        }
        // every client's logins after the kill, not only the probing ones': a client whose status call
        // found its gateway gone may have started a new session as well
        int allLogins = 0;
        for (Client c : batch.clients()) {
            allLogins += events.get(c).count(ClientEvents.AUTHENTICATED, killedAt);
        }
        gaps.sort(Long::compare);
        long median = gaps.isEmpty() ? -1 : gaps.get(gaps.size() / 2);
        if (!gaps.isEmpty() && gaps.size() % 2 == 0) {
            median = (gaps.get(gaps.size() / 2 - 1) + gaps.get(gaps.size() / 2)) / 2;
        }
        long max = gaps.isEmpty() ? -1 : gaps.get(gaps.size() - 1);
        int unanswered = answering.size() - gaps.size();
        Map<String, Integer> placementAfter = new LinkedHashMap<>();
        for (TunnelProbe p : answering) {
            if (p.client().connection != null) {
                placementAfter.merge(nodeOf(p.client().connection.status()), 1, Integer::sum);
            }
        }
        result.add(String.format(
                Locale.ROOT,
                "failover: kill -9 of %s under %d probing clients (ICMP echo to %s every %d ms through the tunnel)",
                victim.name(),
                answering.size(),
                settings.probeTarget(),
                settings.probeInterval().toMillis()));
        StringBuilder each = new StringBuilder();
        for (TunnelProbe p : answering) {
            long gap = gapOf.get(p);
            each.append(each.length() == 0 ? "" : " ").append(gap < 0 ? "none" : Long.toString(gap));
        }
        result.add("  gap per client (ms, the last answer before the outage to the first after it): " + each);
        result.add(String.format(
                Locale.ROOT,
                "  gap median %d ms, max %s   [goal <= %d ms for every client: %s]",
                median,
                unanswered > 0 ? "none (" + unanswered + " without an answer after the kill)" : max + " ms",
                GOAL_GAP_MILLIS,
                unanswered == 0 && max <= GOAL_GAP_MILLIS ? "met" : "missed"));
        result.add(String.format(
                Locale.ROOT,
                "  %d of %d reported 'Moved from gateway ... without a new login'; now on %s",
                moved,
                answering.size(),
                placementAfter));
        result.add(String.format(
                Locale.ROOT,
                "  new logins after the kill: clients %d ('%s' events, all %d clients), %d new sessions started by the"
                        + " probing clients; database: %+d session rows, %+d 'authenticated as' events"
                        + " (%d -> %d, %d -> %d)   [goal 0: %s]",
                allLogins,
                ClientEvents.AUTHENTICATED.strip(),
                batch.clients().size(),
                newSessions,
                sessionsAfter - sessionsBefore,
                loginsAfter - loginsBefore,
                sessionsBefore,
                sessionsAfter,
                loginsBefore,
                loginsAfter,
                allLogins == 0 && newSessions == 0 && sessionsAfter == sessionsBefore && loginsAfter == loginsBefore
                        ? "met"
                        : "missed"));
    }

    private void stopQuietly(TunnelProbe p) {
        try {
            p.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the database --------------------------------------------------------------------------------------

    private long count(String sql) throws IOException, InterruptedException {
        List<String> rows = sql(sql);
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0).strip());
    }

    /** Runs {@code sql} with the --psql command line; its output rows. */
    List<String> sql(String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", settings.psql() + " \"$1\"", "psql", sql)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("psql failed for " + sql + ": " + out.strip());
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
