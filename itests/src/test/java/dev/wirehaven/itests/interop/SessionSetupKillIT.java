package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the real server in the middle of 200 concurrent session setups, several times
 * on the same data: after each restart every session is either fully there (its peer on the
 * server's interface, its address lease, its token accepted by the control API) or fully gone (none
 * of the three), and no address is held twice.
 *
 * <pre>
 *   namespace S (created here, nothing else in it)
 *  +------------------------------------------------------------------+
 *  |  bin/wirehaven --no-shell      (killed with SIGKILL, restarted)   |
 *  |    HTTPS 8443 on lo  &lt;------  SetupStorm: 200 setups at once     |
 *  |    whkN 10.9.0.1/22, UDP 51820 (the session peers go here)        |
 *  +------------------------------------------------------------------+
 * </pre>
 *
 * Each round starts a {@link SetupStorm} of 200 setups (request, password, server config, client
 * config; a fresh X25519 key each) and kills the server after a seeded random number of completed
 * steps, drawn from the first, second and last third of the 800 steps in rounds 1, 2 and 3, so that
 * the kill falls at a different place of the setups each time; {@code
 * -Dwirehaven.kill.seed=N} repeats a run (the seed is printed). After the restart the invariant is
 * checked through the server's own views only: {@code wg show} on its interface, the control API
 * (each known token's session status), and, with the server stopped, its store (the
 * {@code address_leases} and {@code sessions} tables, read with the distribution's own H2). Sessions
 * of earlier rounds stay and are checked again after every later restart. Skipped unless root with
 * {@code ip}, {@code wg}, {@code curl} and the distribution unpacked ({@code -Dwirehaven.dist}).
 */
class SessionSetupKillIT {

    private static final int SETUPS = 200;
    private static final int ROUNDS = 3;
    /** A step of a setup: request, authenticated, leased, configured. */
    private static final int STEPS = 4;

    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final String SUBNET = "10.9.0.0/22";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final String INTERFACE_PID = "dev.wirehaven.wireguard.interface";
    private static final String SESSIONS_PID = "dev.wirehaven.server.sessions";
    private static final Pattern STEP_LINE = Pattern.compile("(?m)^(requested|authenticated|leased|configured) ");

    private final String iface = "whk" + (ProcessHandle.current().pid() % 100000);
    private Path logDir;
    private Path work;
    private Path home;
    private Path serverOut;
    private Netns ns;
    private Process server;
    private String fingerprint;

    /** One setup of the storm, as far as its client got before the kill. */
    private static final class Setup {
        final String label;
        String id;
        String publicKey;
        String token;
        String leased;
        boolean configured;
        String failure;

        Setup(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label + "{id=" + id + " key=" + publicKey + " token=" + (token != null) + " leased=" + leased
                    + " configured=" + configured + (failure == null ? "" : " failed=" + failure) + "}";
        }
    }

    @BeforeEach
    void startTheServer() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed (it tells when the control API is up)");
        assumeTrue(h2Jar() != null, "the distribution ships no bundle/h2-*.jar to read its store with");
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "kill"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));
        serverOut = logDir.resolve("server.out");
        ns = Netns.create("k");

        writeEtc(
                INTERFACE_PID + "-" + iface + ".cfg",
                "name = " + iface + "\nlistenPort = " + WG_PORT + "\naddresses = 10.9.0.1/22\n");
        // the limits that protect a server from one busy address are raised: the 200 setups all come
        // from this namespace's loopback, and none of them may be refused for that. setup.timeout is
        // long because the storm's clients never handshake: the reaper must not end them between rounds
        writeEtc(
                SESSIONS_PID + ".cfg",
                "interface = " + iface + "\n"
                        + "subnet.v4 = " + SUBNET + "\n"
                        + "endpoint = 127.0.0.1:" + WG_PORT + "\n"
                        + "setup.timeout = 1h\n"
                        + "request.rate = 1000000\n"
                        + "request.burst = 1000000\n"
                        + "pending.max.source = 100000\n"
                        + "user.sessions.max = 10000\n"
                        + "auth.verify.queue = 100000\n"
                        // logins in flight count as failures until verified (a burst of guesses cannot
                        // outrun the limit): 200 at once need a window of at least 200
                        + "auth.failures = 1000\n");
        Path password = work.resolve("password");
        Files.writeString(password, "storm password 1\n");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        admin("user", "add", "storm", "--password-file", password.toString()).requireOk();

        server = startServer();
        awaitStarts(1);
        awaitApi();
        fingerprint = Files.readString(home.resolve("data/tls/fingerprint")).trim();
    }

    @AfterEach
    void stopEverything() throws IOException {
        if (ns != null) {
            ns.close(); // kills the server and any helper still inside
        }
    }

    @Test
    void everySessionIsFullyThereOrFullyGoneAfterSigkillDuringTwoHundredConcurrentSetups() throws Exception {
        long seed = Long.getLong("wirehaven.kill.seed", System.nanoTime());
        System.out.println("SessionSetupKillIT seed " + seed + " (-Dwirehaven.kill.seed=" + seed + " repeats it)");
        Random random = new Random(seed);
        Map<String, Setup> all = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder("seed " + seed + "\n");
        Path password = work.resolve("password");

        for (int round = 1; round <= ROUNDS; round++) {
            // one kill point in each third of the setups' steps: early rounds fall among the requests
            // and logins, the last among the leases and client configs, so the rounds never all
            // kill before anything was set up
            int from = 1 + (round - 1) * SETUPS * STEPS / ROUNDS;
            int to = round * SETUPS * STEPS / ROUNDS;
            int killAfter = from + random.nextInt(to - from);
            Path stormLog = logDir.resolve("storm" + round + ".log");
            Process storm = Helpers.spawn(
                    ns,
                    stormLog,
                    SetupStorm.class,
                    "storm",
                    "https://127.0.0.1:" + HTTPS_PORT,
                    fingerprint,
                    "storm",
                    password.toString(),
                    Integer.toString(SETUPS),
                    "r" + round);
            // ---- the kill, after `killAfter` completed steps of all setups together ----
            long steps = awaitSteps(stormLog, storm, killAfter);
            server.destroyForcibly(); // SIGKILL: ip netns exec and bin/wirehaven exec, so this is the JVM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not die of SIGKILL");
            assertTrue(storm.waitFor(180, TimeUnit.SECONDS), "the storm's requests did not end after the kill");
            Map<String, Setup> made = parseStorm(round, TestFiles.read(stormLog));
            all.putAll(made);
            String line = "round " + round + ": killed after " + steps + " steps (chosen " + killAfter + "): "
                    + summary(made.values());
            System.out.println(line);
            report.append(line).append('\n');

            // ---- the restart on the same data, then the server's own views ----
            server = startServer();
            // starts so far: the first, then two per round (after the kill, after the store was read)
            awaitStarts(2 * round);
            awaitApi();
            Map<String, String> peers = peersOnTheInterface();
            Map<String, String[]> api = probe(all.values());
            // SIGTERM: the store closes its file, which the H2 shell below then opens
            assertTrue(terminate() >= 0, "the server did not stop on SIGTERM within 60 s");
            Store store = readStore();

            List<String> violations = check(all.values(), peers, api, store);
            String found = "round " + round + ": " + peers.size() + " peers on " + iface + ", "
                    + store.activeLeases.size() + " active leases, "
                    + api.values().stream().filter(a -> a[0].equals("200")).count() + " valid tokens of " + api.size()
                    + " known; "
                    + "lost with the store's last commits: " + lostAcknowledged(all.values(), api);
            System.out.println(found);
            // the store writes every commit before it returns (WRITE_DELAY=0): what a client was told stays told
            violations.addAll(acknowledgedButLost(all.values(), api));
            report.append(found).append('\n');
            Files.writeString(logDir.resolve("report.txt"), report.toString());
            assertTrue(
                    violations.isEmpty(),
                    "after the kill of round " + round + " (seed " + seed + "), " + violations.size()
                            + " violations:\n"
                            + String.join("\n", violations.subList(0, Math.min(40, violations.size())))
                            + "\n---- server:\n" + TestFiles.tail(TestFiles.read(serverOut), 40));

            if (round == ROUNDS) {
                // the last kill fell among the client configs: whole sessions were there to keep
                assertTrue(
                        api.values().stream().anyMatch(a -> a[0].equals("200")),
                        "no session was whole after the last restart; nothing was tested:\n" + report);
            }
            if (round < ROUNDS) {
                server = startServer();
                awaitStarts(2 * round + 1);
                awaitApi();
            }
        }
    }

    /**
     * Polls the storm's log every few milliseconds (finer than the steps come) until it reports
     * {@code killAfter} completed steps; fails at once if the storm ended before.
     */
    private static long awaitSteps(Path stormLog, Process storm, int killAfter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            String log = TestFiles.read(stormLog);
            long seen = STEP_LINE.matcher(log).results().count();
            if (seen >= killAfter) {
                return seen;
            }
            if (!storm.isAlive() && seen < killAfter) {
                throw new AssertionError("the storm ended after " + seen + " steps, before the " + killAfter + "th:\n"
                        + TestFiles.tail(log, 40));
            }
            Netns.sleep(5);
        }
        throw new AssertionError(
                "no " + killAfter + " setup steps within 600 s:\n" + TestFiles.tail(TestFiles.read(stormLog), 40));
    }

    // ---- the invariant ----------------------------------------------------------------------------

    /**
     * Each known setup: a token the API accepts ⇔ its peer on the interface ⇔ an active lease of its
     * session (and then one address, the same in all three); a setup whose client never got a token
     * has neither peer nor lease. Globally: every peer and every active lease is a known valid
     * session's, and no address is held by two open sessions or two peers.
     */
    private List<String> check(
            Iterable<Setup> setups, Map<String, String> peers, Map<String, String[]> api, Store store) {
        List<String> violations = new ArrayList<>();
        Map<String, Setup> validByKey = new HashMap<>();
        Map<String, Setup> validById = new HashMap<>();
        for (Setup s : setups) {
            if (s.id == null) {
                continue; // its request never got an answer: the global checks below cover what it may have left
            }
            boolean peer = peers.containsKey(s.publicKey);
            List<String> leases = store.activeLeases.getOrDefault(s.id, List.of());
            if (s.token == null) {
                if (peer || !leases.isEmpty()) {
                    violations.add(s + " never got a token, yet peer=" + peer + " leases=" + leases);
                }
                continue;
            }
            String[] status = api.getOrDefault(s.id, new String[] {"none", "-", "-"});
            // 401: the token is refused (the session ended); 409: the session has no token at all, because
            // the login's commit did not outlive the kill. Either way the token is not valid
            if (!status[0].equals("200") && !status[0].equals("401") && !status[0].equals("409")) {
                violations.add(s + ": the API answered " + String.join(" ", status));
                continue;
            }
            boolean valid = status[0].equals("200");
            if (valid != peer || valid == leases.isEmpty()) {
                violations.add(s + " is half there: token valid=" + valid + " (phase " + status[1] + "), peer on "
                        + iface + "=" + peer + ", active leases=" + leases);
                continue;
            }
            if (valid) {
                validByKey.put(s.publicKey, s);
                validById.put(s.id, s);
                String peerIps = peers.get(s.publicKey);
                String lease = leases.get(0) + "/32";
                if (leases.size() != 1 || !peerIps.equals(lease) || !status[2].equals(lease)) {
                    violations.add(s + ": leases " + leases + ", peer allowed-ips " + peerIps + ", API addresses "
                            + status[2]);
                }
            }
        }
        for (Map.Entry<String, String> p : peers.entrySet()) {
            if (!validByKey.containsKey(p.getKey())) {
                violations.add("peer " + p.getKey() + " (" + p.getValue() + ") on " + iface + " is no valid session's");
            }
        }
        for (Map.Entry<String, List<String>> l : store.activeLeases.entrySet()) {
            if (!validById.containsKey(l.getKey())) {
                violations.add(
                        "active leases " + l.getValue() + " of session " + l.getKey() + ", which is no valid session");
            }
        }
        Map<String, String> holders = new HashMap<>();
        for (Map.Entry<String, String> o : store.openSessionAddresses.entrySet()) {
            String other = holders.put(o.getValue(), o.getKey());
            if (other != null) {
                violations.add(o.getValue() + " is held by the open sessions " + other + " and " + o.getKey());
            }
        }
        Map<String, String> byIp = new HashMap<>();
        for (Map.Entry<String, String> p : peers.entrySet()) {
            for (String ip : p.getValue().split(",")) {
                String other = byIp.put(ip, p.getKey());
                if (other != null && !ip.equals("(none)")) {
                    violations.add(ip + " is on two peers: " + other + " and " + p.getKey());
                }
            }
        }
        return violations;
    }

    /** Each setup whose client config was answered 200 and whose session the restarted server no longer has valid. */
    private static List<String> acknowledgedButLost(Iterable<Setup> setups, Map<String, String[]> api) {
        List<String> lost = new java.util.ArrayList<>();
        for (Setup s : setups) {
            String status = api.getOrDefault(s.id, new String[] {"none"})[0];
            if (s.configured && !status.equals("200")) {
                lost.add("setup " + s.id + ": its client config was acknowledged, now its session answers " + status);
            }
        }
        return lost;
    }

    /**
     * What the server acknowledged and no longer knows after the restart: client configs answered 200
     * whose session is not valid now (asserted to be none, above), and tokens handed out whose session
     * has none (409): a figure of the store's durability.
     */
    private static String lostAcknowledged(Iterable<Setup> setups, Map<String, String[]> api) {
        long configs = 0;
        long tokens = 0;
        for (Setup s : setups) {
            String status = api.getOrDefault(s.id, new String[] {"none"})[0];
            if (s.configured && !status.equals("200")) {
                configs++;
            }
            if (s.token != null && status.equals("409")) {
                tokens++;
            }
        }
        return configs + " acknowledged client configs and " + tokens + " issued tokens";
    }

    // ---- the storm's account ------------------------------------------------------------------------

    private static Map<String, Setup> parseStorm(int round, String log) {
        Map<Integer, Setup> byN = new TreeMap<>();
        for (String line : log.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 3 || !f[1].matches("\\d+")) {
                continue;
            }
            Setup s = byN.computeIfAbsent(Integer.parseInt(f[1]), n -> new Setup("r" + round + "-" + n));
            switch (f[0]) {
                case "requested" -> {
                    s.id = f[2];
                    s.publicKey = f[3];
                }
                case "authenticated" -> s.token = f[3];
                case "leased" -> s.leased = f[3];
                case "configured" -> s.configured = true;
                case "failed" -> s.failure = f[2] + " " + (f.length > 3 ? f[3] : "");
                default -> {}
            }
        }
        Map<String, Setup> byLabel = new LinkedHashMap<>();
        for (Setup s : byN.values()) {
            byLabel.put(s.label, s);
        }
        return byLabel;
    }

    private static String summary(Iterable<Setup> setups) {
        int requested = 0;
        int authenticated = 0;
        int leased = 0;
        int configured = 0;
        Map<String, Integer> failures = new TreeMap<>();
        for (Setup s : setups) {
            requested += s.id != null ? 1 : 0;
            authenticated += s.token != null ? 1 : 0;
            leased += s.leased != null ? 1 : 0;
            configured += s.configured ? 1 : 0;
            if (s.failure != null) {
                String reason = s.failure.length() > 80 ? s.failure.substring(0, 80) : s.failure;
                failures.merge(reason, 1, Integer::sum);
            }
        }
        return requested + " requested, " + authenticated + " authenticated, " + leased + " leased, " + configured
                + " configured; failures " + failures;
    }

    // ---- the server's own views ---------------------------------------------------------------------

    /** Public key to allowed IPs of every peer on the interface, from {@code wg show <iface> dump}. */
    private Map<String, String> peersOnTheInterface() throws IOException {
        String dump = ns.execOk("wg", "show", iface, "dump").stdout();
        Map<String, String> peers = new HashMap<>();
        String[] lines = dump.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t");
            if (f.length > 3) {
                peers.put(f[0], f[3]);
            }
        }
        Files.writeString(logDir.resolve("wg-dump.txt"), dump);
        return peers;
    }

    /** Session id to {http status, phase, addresses} for every setup with a token, from the control API. */
    private Map<String, String[]> probe(Iterable<Setup> setups) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Setup s : setups) {
            if (s.token != null) {
                sb.append(s.id).append(' ').append(s.token).append('\n');
            }
        }
        Path tokens = work.resolve("tokens");
        Files.writeString(tokens, sb.toString());
        Path out = logDir.resolve("probe.log");
        Files.deleteIfExists(out);
        Command.Result r = Helpers.run(
                ns, 300, SetupStorm.class, "probe", "https://127.0.0.1:" + HTTPS_PORT, fingerprint, tokens.toString());
        Files.writeString(out, r.stdout() + r.stderr());
        assertEquals(0, r.exitCode(), "the probe of the tokens failed: " + r.stderr());
        Map<String, String[]> answers = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 5 && f[0].equals("probe")) {
                answers.put(f[1], new String[] {f[2], f[3], f[4]});
            }
        }
        return answers;
    }

    /** Waits for the control API's first answer: the restore line may come before the HTTPS connector is up. */
    private void awaitApi() {
        Eventually.await(
                "the control API on 127.0.0.1:" + HTTPS_PORT,
                START_TIMEOUT,
                () -> ns.exec(
                                20,
                                Map.of(),
                                "curl",
                                "-sk",
                                "-o",
                                "/dev/null",
                                "-w",
                                "%{http_code}",
                                "https://127.0.0.1:" + HTTPS_PORT + "/api/v1/sessions/none")
                        .stdout()
                        .trim(),
                code -> code.equals("401") || code.equals("404"));
    }

    /** What the store holds: active leases by session id, and the addresses of open sessions. */
    private record Store(Map<String, List<String>> activeLeases, Map<String, String> openSessionAddresses) {}

    private Store readStore() throws IOException {
        String url = "jdbc:h2:file:" + home.resolve("data/db/wirehaven")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        String sql = "SELECT 'L|' || pool || '|' || address || '|' || COALESCE(session_id, '-') || '|' "
                + "|| CASE WHEN released_at IS NULL THEN 'active' ELSE 'released' END FROM address_leases; "
                + "SELECT 'S|' || id || '|' || phase || '|' || COALESCE(address_v4, '-') FROM sessions "
                + "WHERE closed_at IS NULL";
        Command.Result r = Command.run(
                120,
                Map.of(),
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        h2Jar().toString(),
                        "org.h2.tools.Shell",
                        "-url",
                        url,
                        "-user",
                        "wirehaven",
                        "-password",
                        "",
                        "-sql",
                        sql));
        Files.writeString(logDir.resolve("store.txt"), r.stdout() + r.stderr());
        assertEquals(0, r.exitCode(), "reading the store failed: " + r.stdout() + r.stderr());
        Map<String, List<String>> active = new HashMap<>();
        Map<String, String> open = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split("\\|");
            if (f[0].equals("L") && f.length == 5 && f[4].equals("active")) {
                active.computeIfAbsent(f[3], k -> new ArrayList<>()).add(f[2]);
            } else if (f[0].equals("S") && f.length == 4 && !f[3].equals("-")) {
                open.put(f[1], f[3]);
            }
        }
        return new Store(active, open);
    }

    private Path h2Jar() throws IOException {
        Path bundles =
                WgSide.distribution() == null ? null : WgSide.distribution().resolve("bundle");
        if (bundles == null || !Files.isDirectory(bundles)) {
            return null;
        }
        try (Stream<Path> files = Files.list(bundles)) {
            return files.filter(p -> p.getFileName().toString().matches("h2-[0-9].*\\.jar"))
                    .findFirst()
                    .orElse(null);
        }
    }

    // ---- the server process -------------------------------------------------------------------------

    private Process startServer() throws IOException {
        return ns.spawn(
                serverOut,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(HTTP_PORT),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(HTTPS_PORT),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString(),
                "--no-shell");
    }

    /** Waits for the {@code n}th start's session layer: its restore line, written once the peers are back. */
    private void awaitStarts(int n) {
        Pattern restored = Pattern.compile("Sessions on " + Pattern.quote(iface) + ": restored \\d+ peers");
        Process current = server;
        Eventually.await(
                "start " + n + " of the server's session layer in " + serverOut,
                START_TIMEOUT,
                () -> {
                    String log = TestFiles.read(serverOut);
                    long seen = restored.matcher(log).results().count();
                    if (!current.isAlive()) {
                        throw new IllegalStateException("the server exited with status " + current.exitValue() + ":\n"
                                + TestFiles.tail(log, 60));
                    }
                    return seen;
                },
                seen -> seen >= n);
    }

    private int terminate() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            return -1;
        }
        return server.exitValue();
    }

    private Command.Result admin(String... args) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of(home.resolve("bin/wirehaven").toString()));
        argv.addAll(List.of(args));
        return Command.run(120, Map.of("JAVA_HOME", System.getProperty("java.home")), argv);
    }

    private void writeEtc(String name, String content) throws IOException {
        // written beside and renamed, so that FileInstall never reads half a file
        Path tmp = home.resolve("etc/." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(
                tmp, home.resolve("etc/" + name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
