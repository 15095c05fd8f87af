package dev.wirehaven.benchmarks.sessions;

import dev.wirehaven.benchmarks.sessions.LoadBatch.Client;
import dev.wirehaven.client.WirehavenClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The session setup load benchmark (issue 4): many clients built on the client SDK, each with an
 * in-memory TUN, a real UDP socket and a real WireGuard handshake, run the whole connection flow
 * against one server at once. Prints the setup latency (connect call to ACTIVE) and its parts, the
 * failures with their reasons, the server's heap per idle session and CPU per setup, the client
 * process's heap per client, and checks that the server's peers are gone after the disconnects.
 *
 * <pre>
 *   warm-up wave (connect, disconnect; not measured)
 *   server heap before ── measured wave: barrier, N x connect() ── hold idle ── server heap after
 *   disconnect all ── wg show &lt;iface&gt; peers == 0 ── server heap after the disconnects
 * </pre>
 *
 * A benchmark, not a test: it reports and judges nothing but the goals it prints beside the figures.
 * {@code benchmarks/session-load.sh} runs it against a server in a network namespace.
 */
public final class SessionLoad {

    private static final double GOAL_P99_MILLIS = 50;
    private static final long GOAL_HEAP_PER_PEER = 2048;
    /** The goal for everything an idle session holds on the server, its HTTPS connection included. */
    private static final long GOAL_HEAP_PER_IDLE_SESSION = 20 * 1024;

    private final LoadSettings settings;
    private final ServerProbe probe;
    private final List<String> result = new ArrayList<>();
    private String tcpDuringWave = "";

    private SessionLoad(LoadSettings settings) {
        this.settings = settings;
        this.probe =
                new ServerProbe(settings.serverPid(), settings.jcmd(), settings.wgInterface(), settings.clockTicks());
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("session-load: " + e.getMessage());
            }
            System.err.print(LoadSettings.USAGE);
            System.exit(2);
            return;
        }
        new SessionLoad(settings).run();
        // the SDK's and the devices' threads are daemons, but a connection that failed to close may hold one
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "session-load: %s%n", settings);
        System.out.printf(
                Locale.ROOT,
                "session-load: client JVM %s %s, %d CPUs, max heap %d MiB%n",
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        probe.describe().forEach(d -> System.out.println("session-load: " + d));
        Path knownServers = Files.createTempFile("session-load-known", ".txt");
        LoadCredentials credentials = settings.password() != null
                ? LoadCredentials.password(settings.password())
                : LoadCredentials.token(settings.token());
        try (WirehavenClient server = WirehavenClient.builder(settings.server())
                .knownServers(knownServers)
                .fingerprint(settings.fingerprint())
                .build()) {
            if (settings.warmup() > 0) {
                warmUp(server, credentials);
            }
            measure(server, credentials);
        } finally {
            Files.deleteIfExists(knownServers);
        }
        System.out.println();
        System.out.println("== result");
        result.forEach(System.out::println);
    }

    private void warmUp(WirehavenClient server, LoadCredentials credentials) throws Exception {
        LoadBatch warm = LoadBatch.prepare("warmup", settings.warmup());
        System.out.printf(
                Locale.ROOT,
                "%n== warm-up: %d clients, %d at a time%n",
                settings.warmup(),
                Math.min(settings.warmup(), 50));
        warm.connect(server, settings.user(), credentials, java.time.Duration.ZERO, Math.min(settings.warmup(), 50));
        printLatencies(warm);
        String offered = warm.clients().get(0).timeline.methods();
        System.out.println("  the server offered: " + (offered.isEmpty() ? "(no challenge seen)" : offered));
        warm.closeAll(50);
        if (warm.connected() == 0) {
            throw new IllegalStateException("no warm-up client connected; see the failures above");
        }
    }

    private void measure(WirehavenClient server, LoadCredentials credentials) throws Exception {
        LoadBatch load = LoadBatch.prepare("load", settings.clients());
        long clientHeapBefore = clientHeapAfterGc();
        ClassHistogram serverBefore = null;
        HeapAccount.Point before = null;
        long serverCpuBefore = 0;
        if (probe.knowsProcess()) {
            serverBefore = probe.liveHeap();
            before = new HeapAccount.Point(serverBefore.totalBytes(), connections());
            serverCpuBefore = probe.cpuMillis();
        }
        if (probe.knowsInterface()) {
            System.out.printf(
                    Locale.ROOT, "%n  peers on %s before the run: %d%n", settings.wgInterface(), probe.peerCount());
        }
        long clientCpuBefore = clientCpuNanos();
        Map<String, Long> tcpBefore = ServerProbe.tcpCounters();

        System.out.printf(
                Locale.ROOT,
                "%n== measured: %d clients, ramp %.1f s, %d connector threads%n",
                settings.clients(),
                settings.ramp().toMillis() / 1000.0,
                settings.connectors());
        load.connect(server, settings.user(), credentials, settings.ramp(), settings.connectors());
        long clientCpu = clientCpuNanos() - clientCpuBefore;
        long serverCpu = probe.knowsProcess() ? probe.cpuMillis() - serverCpuBefore : -1;
        printLatencies(load);
        printFailures(load);
        Map<String, Long> tcpAfter = ServerProbe.tcpCounters();
        StringBuilder tcp = new StringBuilder();
        tcpAfter.forEach((k, v) -> tcp.append(tcp.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(v - tcpBefore.getOrDefault(k, 0L)));
        System.out.println("  TCP during the wave: " + tcp);
        tcpDuringWave = tcp.toString();
        int connected = load.connected();
        System.out.printf(
                Locale.ROOT,
                "  CPU per setup: server %s, this process (the clients) %.2f ms%n",
                serverCpu < 0
                        ? "n/a"
                        : String.format(Locale.ROOT, "%.2f ms", (double) serverCpu / Math.max(1, connected)),
                clientCpu / 1e6 / Math.max(1, connected));

        Thread.sleep(settings.hold().toMillis());
        int active = load.active();
        System.out.printf(
                Locale.ROOT,
                "%n== idle for %d s: %d of %d connections ACTIVE%n",
                settings.hold().toSeconds(),
                active,
                connected);
        int peersIdle = probe.knowsInterface() ? probe.peerCount() : -1;
        if (peersIdle >= 0) {
            System.out.printf(Locale.ROOT, "  peers on %s: %d%n", settings.wgInterface(), peersIdle);
        }
        HeapAccount.Point idle = null;
        if (serverBefore != null) {
            ClassHistogram serverIdle = probe.liveHeap();
            idle = new HeapAccount.Point(serverIdle.totalBytes(), connections());
            long grown = serverIdle.totalBytes() - serverBefore.totalBytes();
            System.out.printf(
                    Locale.ROOT,
                    "  server live heap: %.1f MiB before, %.1f MiB with the idle sessions:"
                            + " +%.1f MiB, %d bytes per idle session; HTTPS connections to the server: %d before, %d now%n",
                    serverBefore.totalBytes() / 1048576.0,
                    serverIdle.totalBytes() / 1048576.0,
                    grown / 1048576.0,
                    active == 0 ? -1 : grown / active,
                    before.connections(),
                    idle.connections());
            printGrowth(serverIdle, serverBefore, active);
        }
        long clientHeap = clientHeapAfterGc() - clientHeapBefore;
        System.out.printf(
                Locale.ROOT,
                "  client process heap: +%.1f MiB, %d bytes per connected client%n",
                clientHeap / 1048576.0,
                clientHeap / Math.max(1, connected));

        long closeStart = System.nanoTime();
        load.closeAll(Math.min(200, Math.max(1, connected)));
        long closeWall = System.nanoTime() - closeStart;
        System.out.printf(
                Locale.ROOT, "%n== disconnect: %d connections closed in %.2f s%n", connected, closeWall / 1e9);
        System.out.println(Distribution.header());
        System.out.println(Distribution.of(load.clients(), c -> c.closeNanos).row("close() (disconnect, device down)"));
        int peersAfter = probe.knowsInterface() ? awaitNoPeers() : -1;
        HeapAccount heap = null;
        if (serverBefore != null) {
            HeapAccount.Point closed = new HeapAccount.Point(probe.liveHeap().totalBytes(), connections());
            System.out.printf(
                    Locale.ROOT,
                    "  server live heap after the disconnects: %.1f MiB, %d HTTPS connections%n",
                    closed.heapBytes() / 1048576.0,
                    closed.connections());
            HeapAccount.Point drained = drained();
            heap = new HeapAccount(before, idle, closed, drained, active);
        }
        summarise(load, active, serverCpu, clientCpu, heap, peersIdle, peersAfter, clientHeap);
    }

    /** Waits (up to --drain) until the server has closed the idle connections; the heap then, or null. */
    private HeapAccount.Point drained() throws IOException, InterruptedException {
        if (settings.drain().isZero()) {
            return null;
        }
        long deadline = System.nanoTime() + settings.drain().toNanos();
        int open = connections();
        System.out.printf(
                Locale.ROOT,
                "  waiting up to %d s for the server to close the %d idle connections...%n",
                settings.drain().toSeconds(),
                open);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            open = connections();
        }
        HeapAccount.Point p = new HeapAccount.Point(probe.liveHeap().totalBytes(), connections());
        System.out.printf(
                Locale.ROOT,
                "  server live heap with %d connections left: %.1f MiB%n",
                p.connections(),
                p.heapBytes() / 1048576.0);
        return p;
    }

    private int connections() throws IOException, InterruptedException {
        int port = settings.server().getPort() < 0 ? 443 : settings.server().getPort();
        return probe.connectionsTo(port);
    }

    private void summarise(
            LoadBatch load,
            int active,
            long serverCpu,
            long clientCpu,
            HeapAccount heap,
            int peersIdle,
            int peersAfter,
            long clientHeap) {
        Distribution total = Distribution.of(load.clients(), c -> c.timeline.total());
        int connected = load.connected();
        result.add(String.format(
                Locale.ROOT,
                "clients %d (%s auth, ramp %.1f s): %d ACTIVE, %d failures",
                settings.clients(),
                settings.auth(),
                settings.ramp().toMillis() / 1000.0,
                connected,
                load.failureCount()));
        result.add(String.format(
                Locale.ROOT,
                "setup latency (connect to ACTIVE) ms: p50 %.1f  p90 %.1f  p99 %.1f"
                        + "  max %.1f   [goal p99 < %.0f, no failure: %s]",
                total.percentileMillis(50),
                total.percentileMillis(90),
                total.percentileMillis(99),
                total.maxMillis(),
                GOAL_P99_MILLIS,
                total.percentileMillis(99) < GOAL_P99_MILLIS && load.failureCount() == 0 ? "met" : "missed"));
        Distribution control = Distribution.of(load.clients(), c -> c.timeline.controlSteps());
        Distribution handshake = Distribution.of(load.clients(), c -> c.timeline.handshake());
        Distribution toActive = Distribution.of(load.clients(), c -> c.timeline.handshakeToActive());
        result.add(String.format(
                Locale.ROOT,
                "  of which control API steps 1-7 p50 %.1f p99 %.1f; WireGuard handshake"
                        + " p50 %.1f p99 %.1f; handshake to ACTIVE p50 %.1f p99 %.1f",
                control.percentileMillis(50),
                control.percentileMillis(99),
                handshake.percentileMillis(50),
                handshake.percentileMillis(99),
                toActive.percentileMillis(50),
                toActive.percentileMillis(99)));
        result.add("  TCP in the namespace during the wave: " + tcpDuringWave);
        long polled = load.clients().stream()
                .filter(c -> c.connection != null && !c.timeline.activeAtConfirmation())
                .count();
        result.add(String.format(
                Locale.ROOT,
                "  %d of %d were ACTIVE at the confirmation, %d had to poll",
                connected - polled,
                connected,
                polled));
        result.add(String.format(
                Locale.ROOT,
                "all %d set up in %.2f s (%.0f/s); CPU per setup: server %s ms, clients" + " %.2f ms",
                connected,
                load.wallNanos() / 1e9,
                connected / (load.wallNanos() / 1e9),
                serverCpu < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) serverCpu / Math.max(1, connected)),
                clientCpu / 1e6 / Math.max(1, connected)));
        if (heap != null) {
            result.add(String.format(
                    Locale.ROOT,
                    "server heap per idle session: %d bytes with its HTTPS connection (%d"
                            + " sessions, %+d connections)   [goal <= %d: %s]",
                    heap.perIdleSession(),
                    active,
                    heap.addedConnections(),
                    GOAL_HEAP_PER_IDLE_SESSION,
                    heap.perIdleSession() <= GOAL_HEAP_PER_IDLE_SESSION ? "met" : "missed"));
            long withoutConnection = heap.perSessionWithoutConnection();
            result.add(
                    withoutConnection < 0
                            ? "  (not split: the idle connections did not close; --drain)"
                            : String.format(
                                    Locale.ROOT,
                                    "  = %d bytes per idle HTTPS connection + %d bytes per session without"
                                            + " it   [goal < %d per idle peer: %s]; a closed session leaves %d bytes",
                                    heap.perConnection(),
                                    withoutConnection,
                                    GOAL_HEAP_PER_PEER,
                                    withoutConnection < GOAL_HEAP_PER_PEER ? "met" : "missed",
                                    heap.perClosedSession()));
        }
        result.add(String.format(
                Locale.ROOT, "client process heap per client: %d bytes", clientHeap / Math.max(1, connected)));
        if (peersIdle >= 0) {
            result.add(String.format(
                    Locale.ROOT,
                    "server peers (wg show %s peers): %d while idle, %d after the" + " disconnects",
                    settings.wgInterface(),
                    peersIdle,
                    peersAfter));
        }
        load.failures().forEach((text, n) -> result.add(String.format(Locale.ROOT, "failure x%d: %s", n, text)));
    }

    private static void printLatencies(LoadBatch batch) {
        List<Client> all = batch.clients();
        System.out.printf(
                Locale.ROOT,
                "  %d of %d ACTIVE, %d failed, %.2f s from the barrier to the last outcome%n",
                batch.connected(),
                all.size(),
                batch.failureCount(),
                batch.wallNanos() / 1e9);
        System.out.println(Distribution.header());
        row(all, "connect() to ACTIVE", t -> t.total());
        row(all, "  steps 1-4 (request, auth)", t -> t.authentication());
        row(all, "  steps 1-7 (.. server/client config)", t -> t.controlSteps());
        row(all, "  client config to initiation sent", t -> t.tunnelUp());
        row(all, "  handshake (initiation to response)", t -> t.handshake());
        row(all, "  response to ACTIVE (confirm, polls)", t -> t.handshakeToActive());
        long atConfirm = all.stream()
                .filter(c -> c.connection != null && c.timeline.activeAtConfirmation())
                .count();
        long initiations = all.stream().mapToLong(c -> c.timeline.initiations()).sum();
        long cookies = all.stream().mapToLong(c -> c.timeline.cookieReplies()).sum();
        System.out.printf(
                Locale.ROOT,
                "  ACTIVE at the confirmation: %d (the rest polled the status); handshake"
                        + " initiations sent: %d; cookie replies: %d%n",
                atConfirm,
                initiations,
                cookies);
    }

    private static void row(List<Client> all, String label, ToLongFunction<SetupTimeline> of) {
        System.out.println(Distribution.of(
                        all, (Client c) -> c.connection == null ? SetupTimeline.NONE : of.applyAsLong(c.timeline))
                .row(label));
    }

    private static void printFailures(LoadBatch batch) {
        for (Map.Entry<String, Integer> f : batch.failures().entrySet()) {
            System.out.printf(Locale.ROOT, "  failed x%d: %s%n", f.getValue(), f.getKey());
        }
    }

    private static void printGrowth(ClassHistogram after, ClassHistogram before, int sessions) {
        System.out.println("  largest growth by class (bytes per session, instances per session):");
        for (ClassHistogram.Change c : after.largestGrowth(before, 15)) {
            System.out.printf(
                    Locale.ROOT,
                    "    %8d  %6.2f  %s%n",
                    c.bytes() / Math.max(1, sessions),
                    (double) c.instances() / Math.max(1, sessions),
                    c.className());
        }
        System.out.println("  growth by package (bytes per session):");
        after.growthByPrefix(
                        before,
                        List.of(
                                "[",
                                "java.",
                                "javax.",
                                "jdk.",
                                "sun.",
                                "org.eclipse.jetty.",
                                "org.h2.",
                                "dev.wirehaven.",
                                "com.fasterxml.",
                                "org.apache.",
                                "org.osgi."))
                .forEach((prefix, bytes) -> {
                    if (bytes != 0) {
                        System.out.printf(
                                Locale.ROOT,
                                "    %8d  %s%n",
                                bytes / Math.max(1, sessions),
                                prefix.equals("[") ? "arrays ([B, [I, [Ljava...)" : prefix + "*");
                    }
                });
    }

    /** Waits up to 15 s for the server's interface to have no peer left; the count at the end. */
    private int awaitNoPeers() throws IOException, InterruptedException {
        int peers = probe.peerCount();
        for (int i = 0; i < 150 && peers > 0; i++) {
            Thread.sleep(100);
            peers = probe.peerCount();
        }
        System.out.printf(Locale.ROOT, "  peers on %s after the disconnects: %d%n", settings.wgInterface(), peers);
        return peers;
    }

    private static long clientHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long clientCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
