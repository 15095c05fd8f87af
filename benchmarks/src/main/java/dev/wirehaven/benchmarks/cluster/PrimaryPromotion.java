package dev.wirehaven.benchmarks.cluster;

import dev.wirehaven.benchmarks.sessions.LoadBatch;
import dev.wirehaven.benchmarks.sessions.LoadBatch.Client;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.WirehavenClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The promotion part of the gateway cluster benchmark (issue 13): while every client is connected and
 * some of them, spread over the nodes, probe through their tunnels, the database's primary crashes
 * ({@code pg_ctl -m immediate stop}) and its streaming standby is promoted ({@code pg_ctl -w promote}).
 * The nodes' store URL names both servers and asks for the primary, so they find the promoted one by
 * themselves. Measured: the longest silence of each probing client from the crash until
 * {@code --promotion-watch} after the promotion (the goal: no tunnel drops), whether every client still
 * has the session it had (no new logins), and how soon after {@code pg_ctl promote} returned a new
 * client's whole login through the first node's control API works again (the goal: within 10 s).
 *
 * <pre>
 *   probes on F clients ── crash the primary ── promote the standby ── a new client logs in, again and
 *   again until it works ── silences until +10 s ── sessions, logins, the nodes' heartbeats
 * </pre>
 */
final class PrimaryPromotion {

    /** The goal: logins work again this soon after the promotion. */
    static final long GOAL_LOGIN_MILLIS = 10_000;
    /**
     * A silence longer than this is a tunnel drop. The probes go every 50 ms and on this shared machine
     * a silence of a few hundred milliseconds happens without any failure (the baseline before the crash
     * is printed beside it); a second is more than scheduling noise and less than any reconnect (the
     * SDK's gateway watch alone waits 2.5 s before it moves a client).
     */
    static final long DROP_MILLIS = 1000;
    /** The SDK's sentence when it gives a connection up for lost and starts to recover it ({@code Recovery}). */
    private static final String LOST = "Connection lost";
    /** The SDK's sentence when the recovery found the session still valid: no new login. */
    private static final String RESUMED = "Reconnected: session ";
    /** The device names of the new clients' logins: left out of the counts of the load clients' rows. */
    static final String LOGIN_DEVICES = "promotion-login-";

    private static final String LOAD_SESSIONS =
            "SELECT count(*) FROM sessions WHERE device_name NOT LIKE '" + LOGIN_DEVICES + "%'";
    private static final String LOAD_LOGINS = "SELECT count(*) FROM event_log WHERE detail LIKE 'authenticated as %'"
            + " AND session_id NOT IN (SELECT id FROM sessions WHERE device_name LIKE '" + LOGIN_DEVICES + "%')";

    private final ClusterSettings settings;
    private final HeartbeatSampler.Sql sql;
    private final Map<Client, ClientEvents> events;
    private final Function<ConnectionStatus, String> nodeOf;
    private final List<String> result;

    PrimaryPromotion(
            ClusterSettings settings,
            HeartbeatSampler.Sql sql,
            Map<Client, ClientEvents> events,
            Function<ConnectionStatus, String> nodeOf,
            List<String> result) {
        this.settings = settings;
        this.sql = sql;
        this.events = events;
        this.nodeOf = nodeOf;
        this.result = result;
    }

    void run(WirehavenClient server, LoadBatch batch) throws Exception {
        Inet4Address target = (Inet4Address) InetAddress.getByName(settings.probeTarget());
        // the session each client has now: after the promotion it must still be the same one
        Map<Client, String> sessionBefore = new HashMap<>();
        for (Client c : batch.clients()) {
            Connection conn = c.connection;
            if (conn != null) {
                ConnectionStatus s = conn.status();
                if (s.state() == ConnectionState.ACTIVE && s.sessionId() != null) {
                    sessionBefore.put(c, s.sessionId());
                }
            }
        }
        List<TunnelProbe> probes = pickProbes(batch, target);
        System.out.printf(
                Locale.ROOT,
                "%n== promotion: %d clients (%s) probe %s every %d ms through their tunnels; %d of %d clients ACTIVE%n",
                probes.size(),
                spread(probes),
                target.getHostAddress(),
                settings.probeInterval().toMillis(),
                sessionBefore.size(),
                batch.clients().size());
        probes.forEach(TunnelProbe::start);
        long probesFrom = System.nanoTime();
        // steady traffic before the crash, as in the failover part (ClusterSettings.probeWarmup)
        List<TunnelProbe> answering = TunnelProbe.warmUp(probes, settings.probeWarmup());
        probes.stream().filter(p -> p.answered() == 0).forEach(this::stopQuietly);
        String primaryPort = first("SELECT current_setting('port')");
        long sessionsBefore = count(LOAD_SESSIONS);
        long loginsBefore = count(LOAD_LOGINS);

        long crashAt = System.nanoTime();
        long crashMillis = shell("--crash-primary", settings.crashPrimary());
        long promoteMillis = shell("--promote", settings.promote());
        long promotedAt = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "  crashed the primary (port %s) in %d ms; the promoted standby took writes %d ms after the crash"
                        + " (pg_ctl promote took %d ms)%n",
                primaryPort,
                crashMillis,
                ms(promotedAt - crashAt),
                promoteMillis);

        // beside the logins: when every node writes its heartbeat to the promoted server
        CompletableFuture<Long> beats = new CompletableFuture<>();
        Thread beatWatch = new Thread(
                () -> {
                    try {
                        beats.complete(awaitHeartbeats(promotedAt));
                    } catch (InterruptedException e) {
                        beats.complete(-1L);
                    }
                },
                "promotion-heartbeats");
        beatWatch.setDaemon(true);
        beatWatch.start();
        LoginsAfterPromotion.Attempts logins = new LoginsAfterPromotion(settings).until(server, promotedAt);
        long beatAfter = beats.get(90, TimeUnit.SECONDS);
        // the silences count until --promotion-watch after the promotion, whatever the login took
        long watchEnd = promotedAt + settings.promotionWatch().toNanos();
        sleepUntil(watchEnd + settings.probeInterval().toNanos() * 4);
        answering.forEach(this::stopQuietly);
        String newPrimaryPort = first("SELECT current_setting('port')");
        long sessionsAfter = count(LOAD_SESSIONS);
        long loginsAfter = count(LOAD_LOGINS);

        // ---- the probing clients' silences, and a baseline window of the same length before the crash
        long window = watchEnd - crashAt;
        long baselineFrom = Math.max(probesFrom, crashAt - window);
        List<Long> silences = new ArrayList<>();
        long baselineMax = -1;
        int silent = 0;
        StringBuilder each = new StringBuilder();
        System.out.println("  client        tunnel address  node    longest silence (ms) crash..+"
                + settings.promotionWatch().toSeconds() + " s   before the crash");
        for (TunnelProbe p : answering) {
            long silence = p.longestSilence(crashAt, watchEnd);
            long baseline = p.longestSilence(baselineFrom, crashAt);
            baselineMax = Math.max(baselineMax, baseline < 0 ? -1 : ms(baseline));
            if (silence < 0) {
                silent++;
            } else {
                silences.add(ms(silence));
            }
            each.append(each.length() == 0 ? "" : " ").append(silence < 0 ? "none" : Long.toString(ms(silence)));
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s  %-14s  %-6s  %20s  %16s%n",
                    p.client().device,
                    p.source().getHostAddress(),
                    p.client().connection == null
                            ? ""
                            : nodeOf.apply(p.client().connection.status()),
                    silence < 0 ? "no answer" : Long.toString(ms(silence)),
                    baseline < 0 ? "no answer" : Long.toString(ms(baseline)));
            for (ClientEvents.Heard h : events.get(p.client()).since(crashAt)) {
                System.out.printf(Locale.ROOT, "      +%5d ms %s%n", ms(h.nanos() - crashAt), h.event());
            }
        }
        silences.sort(Long::compare);
        long worst = silences.isEmpty() ? -1 : silences.get(silences.size() - 1);
        long drops = silences.stream().filter(s -> s > DROP_MILLIS).count() + silent;

        // ---- every client: the same session, ACTIVE; no login and no new session after the crash
        int kept = 0;
        Map<String, Integer> otherwise = new TreeMap<>();
        for (Map.Entry<Client, String> e : sessionBefore.entrySet()) {
            Connection conn = e.getKey().connection;
            ConnectionStatus s = conn == null ? null : conn.status();
            if (s != null && s.state() == ConnectionState.ACTIVE && e.getValue().equals(s.sessionId())) {
                kept++;
            } else {
                otherwise.merge(
                        s == null
                                ? "no connection"
                                : s.state() + (e.getValue().equals(s.sessionId()) ? "" : ", another session"),
                        1,
                        Integer::sum);
            }
        }
        int clientLogins = 0;
        int newSessions = 0;
        // the SDK's own account: a client may call its connection lost (a status report answered 503 while the
        // store was away) and resume it, with the same session, while its tunnel carried on
        int lostClients = 0;
        int resumed = 0;
        for (Client c : batch.clients()) {
            ClientEvents e = events.get(c);
            clientLogins += e.count(ClientEvents.AUTHENTICATED, crashAt);
            newSessions += e.count(ClientEvents.NEW_SESSION, crashAt);
            lostClients += e.count(LOST, crashAt) > 0 ? 1 : 0;
            resumed += e.count(RESUMED, crashAt);
        }

        System.out.printf(
                Locale.ROOT,
                "  %d of %d clients ACTIVE with the session they had%s; %d logins and %d new sessions in their events;"
                        + " %d reported '%s' and %d '%s'%n",
                kept,
                sessionBefore.size(),
                otherwise.isEmpty() ? "" : " (the others: " + otherwise + ")",
                clientLogins,
                newSessions,
                lostClients,
                LOST.strip(),
                resumed,
                RESUMED.strip());

        // ---- the report
        result.add(String.format(
                Locale.ROOT,
                "promotion: the primary (port %s) crashed (pg_ctl -m immediate stop, %d ms), its standby promoted"
                        + " (pg_ctl -w promote, %d ms; %d ms after the crash); %d probing clients (%s), ICMP echo"
                        + " to %s every %d ms through the tunnel",
                primaryPort,
                crashMillis,
                promoteMillis,
                ms(promotedAt - crashAt),
                answering.size(),
                spread(answering),
                settings.probeTarget(),
                settings.probeInterval().toMillis()));
        if (answering.isEmpty()) {
            result.add("  no probing client got an answer before the crash: the silences were not measured");
        } else {
            result.add(String.format(
                    Locale.ROOT,
                    "  longest silence per client from the crash to %d s after the promotion (ms): %s",
                    settings.promotionWatch().toSeconds(),
                    each));
            result.add(String.format(
                    Locale.ROOT,
                    "  longest silence median %s, max %s (the same clients before the crash, over %.1f s: max %d ms)"
                            + "   [goal no tunnel drop, i.e. no silence over %d ms: %s]",
                    silences.isEmpty() ? "none" : median(silences) + " ms",
                    silent > 0 ? "none (" + silent + " without an answer)" : worst + " ms",
                    (crashAt - baselineFrom) / 1e9,
                    baselineMax,
                    DROP_MILLIS,
                    drops == 0 ? "met" : "missed, " + drops + " drops"));
        }
        result.add(String.format(
                Locale.ROOT,
                "  clients ACTIVE with the session they had before the crash: %d of %d%s   [goal all: %s]",
                kept,
                sessionBefore.size(),
                otherwise.isEmpty() ? "" : " (the others: " + otherwise + ")",
                kept == sessionBefore.size() && kept > 0 ? "met" : "missed"));
        result.add(String.format(
                Locale.ROOT,
                "  the SDK's own account (all %d clients): %d reported '%s' after the crash, %d '%s' (a resumed"
                        + " session, no login)",
                batch.clients().size(),
                lostClients,
                LOST.strip(),
                resumed,
                RESUMED.strip()));
        result.add(String.format(
                Locale.ROOT,
                "  new logins after the crash: clients %d ('%s' events, all %d clients), %d new sessions; database"
                        + " (the new primary, port %s): %+d session rows, %+d 'authenticated as' events"
                        + " (%d -> %d, %d -> %d; the new client's logins left out)   [goal 0: %s]",
                clientLogins,
                ClientEvents.AUTHENTICATED.strip(),
                batch.clients().size(),
                newSessions,
                newPrimaryPort,
                sessionsAfter - sessionsBefore,
                loginsAfter - loginsBefore,
                sessionsBefore,
                sessionsAfter,
                loginsBefore,
                loginsAfter,
                clientLogins == 0 && newSessions == 0 && sessionsAfter == sessionsBefore && loginsAfter == loginsBefore
                        ? "met"
                        : "missed"));
        result.add(logins.report(promotedAt, crashAt));
        result.add(
                beatAfter < 0
                        ? "  not every node beat in gateway_nodes on the new primary within 60 s of the promotion"
                        : String.format(
                                Locale.ROOT,
                                "  every node (%d) had beaten in gateway_nodes on the new primary (port %s) %d ms after"
                                        + " the promotion (polled every 250 ms from the promotion on; the nodes beat"
                                        + " every second)",
                                settings.nodes().size(),
                                newPrimaryPort,
                                beatAfter));
        logins.close();
    }

    /** Up to --promotion-clients clients with an IPv4 tunnel address, taken in turn from each node. */
    private List<TunnelProbe> pickProbes(LoadBatch batch, Inet4Address target) throws IOException {
        Map<String, Deque<Client>> byNode = new TreeMap<>();
        Map<Client, Inet4Address> sourceOf = new HashMap<>();
        for (Client c : batch.clients()) {
            Connection conn = c.connection;
            if (conn == null) {
                continue;
            }
            ConnectionStatus s = conn.status();
            if (s.state() != ConnectionState.ACTIVE || s.addresses().isEmpty()) {
                continue;
            }
            String address = s.addresses().get(0);
            if (InetAddress.getByName(address.substring(0, address.indexOf('/'))) instanceof Inet4Address v4) {
                sourceOf.put(c, v4);
                byNode.computeIfAbsent(nodeOf.apply(s), k -> new ArrayDeque<>()).add(c);
            }
        }
        List<TunnelProbe> probes = new ArrayList<>();
        while (probes.size() < settings.promotionClients()
                && byNode.values().stream().anyMatch(d -> !d.isEmpty())) {
            for (Deque<Client> d : byNode.values()) {
                Client c = d.poll();
                if (c != null && probes.size() < settings.promotionClients()) {
                    probes.add(new TunnelProbe(c, sourceOf.get(c), target, settings.probeInterval()));
                }
            }
        }
        return probes;
    }

    private String spread(List<TunnelProbe> probes) {
        Map<String, Integer> perNode = new TreeMap<>();
        for (TunnelProbe p : probes) {
            Connection conn = p.client().connection;
            perNode.merge(conn == null ? "(no connection)" : nodeOf.apply(conn.status()), 1, Integer::sum);
        }
        return perNode.toString();
    }

    // ---- the database ----------------------------------------------------------------------------------

    /**
     * Waits until every node's heartbeat row is younger than 5 s on the promoted server: the nodes found
     * it and write there (the kill part after this one needs them all). Milliseconds since the promotion,
     * or -1 after 60 s.
     */
    private long awaitHeartbeats(long promotedAt) throws InterruptedException {
        long giveUp = promotedAt + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            try {
                // a beat after the promotion: the promoted server also holds the rows it replayed from the old
                // primary, which may be only a moment old
                String afterPromotion = "SELECT count(*) FROM gateway_nodes WHERE heartbeat_at > now() - interval"
                        + " '1 millisecond' * " + ms(System.nanoTime() - promotedAt);
                if (count(afterPromotion) == settings.nodes().size()) {
                    return ms(System.nanoTime() - promotedAt);
                }
            } catch (IOException | RuntimeException e) {
                // not reachable yet: the next round asks again
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private long count(String query) throws IOException, InterruptedException {
        String row = first(query);
        return row == null ? -1 : Long.parseLong(row.strip());
    }

    private String first(String query) throws IOException, InterruptedException {
        List<String> rows = sql.rows(query);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Runs {@code command} with /bin/sh -c; its duration in ms. A failure ends the run, with its output. */
    private static long shell(String option, String command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(option + " did not finish within 120 s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException(option + " failed (exit " + p.exitValue() + "): " + command + "\n" + out.strip());
        }
        return ms(System.nanoTime() - t0);
    }

    // ---- small things ----------------------------------------------------------------------------------

    private void stopQuietly(TunnelProbe p) {
        try {
            p.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
        }
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
