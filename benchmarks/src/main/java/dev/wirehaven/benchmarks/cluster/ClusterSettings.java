package dev.wirehaven.benchmarks.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster load generator's command line.
 *
 * @param server the control API every client connects through (the first node's)
 * @param fingerprint the cluster certificate's SHA-256 fingerprint, or null to trust on first use
 * @param user the user of every client
 * @param token the bearer token of the static-token method
 * @param clients clients connected
 * @param ramp how long their starts are spread over
 * @param connectors threads calling connect
 * @param nodes the gateway nodes: name, WireGuard endpoint as clients see it, the JVM's pid
 * @param settle how long to wait after the last client is ACTIVE before counting the placement
 * @param psql a shell command line to which one SQL statement is appended as the last argument; it
 *     prints the rows unaligned with {@code |} between columns ({@code psql -At -c})
 * @param kill the node to kill for the failover part, or null to skip it
 * @param failoverClients how many of that node's clients probe through their tunnels
 * @param probeTarget the address inside the tunnel that every node answers (its interface address)
 * @param probeInterval the time between two probes of one client
 * @param probeWarmup how long the probes run before the kill: the SDK's gateway watch spaces its probe
 *     handshakes 10 s apart after one was answered, and a flow that has just started can trigger one
 *     (see benchmarks/README.md, "Gateway cluster"), so the default lets that spacing run out
 * @param failoverWait how long after the kill to wait for every probing client's first answer
 * @param crashPrimary a shell command line that crashes the database's primary ({@code pg_ctl -m immediate
 *     stop}), or null to skip the promotion part
 * @param promote a shell command line that promotes its streaming standby and returns once it takes
 *     writes ({@code pg_ctl -w promote}), or null to skip the promotion part
 * @param promotionClients how many clients, spread over the nodes, probe through their tunnels while the
 *     primary crashes and the standby is promoted
 * @param promotionWatch how long after the promotion the probes' silences still count (the issue's 10 s)
 * @param loginWait how long after the promotion a new client keeps trying to log in
 */
record ClusterSettings(
        URI server,
        String fingerprint,
        String user,
        String token,
        int clients,
        Duration ramp,
        int connectors,
        List<Node> nodes,
        Duration settle,
        String psql,
        String kill,
        int failoverClients,
        String probeTarget,
        Duration probeInterval,
        Duration probeWarmup,
        Duration failoverWait,
        String crashPrimary,
        String promote,
        int promotionClients,
        Duration promotionWatch,
        Duration loginWait) {

    /** One gateway node as the benchmark started it. */
    record Node(String name, String endpoint, long pid) {}

    static final String USAGE = """
            usage: java -cp benchmarks.jar dev.wirehaven.benchmarks.cluster.GatewayCluster --token-file F \\
                     --node NAME,HOST:PORT,PID ... --psql CMD [options]

              --server URL            the control API the clients connect through (default https://127.0.0.1:8443)
              --fingerprint-file F    the cluster certificate's fingerprint (a node's data/tls/fingerprint)
              --user NAME             the user of every client (default load)
              --token-file F          the static-token method's token (first line of F)
              --clients N             clients (default 300)
              --ramp SECONDS          spread their starts over this time (default 0: all at once)
              --connectors N          threads calling connect (default: one per client)
              --node NAME,EP,PID      a gateway node: its name, WireGuard endpoint and JVM pid (repeat per node)
              --settle SECONDS        wait before counting the placement (default 3)
              --psql CMD              shell command that runs the SQL given as its last argument (psql -At -c)
              --kill NAME             the node to kill -9 for the failover part (default: none, placement only)
              --failover-clients N    clients of that node that probe through their tunnels (default 10)
              --probe-target ADDR     the address inside the tunnels that every node answers (default 10.64.0.1)
              --probe-interval MS     milliseconds between two probes of one client (default 50)
              --probe-warmup SECONDS  how long the probes run before the kill (default 12)
              --failover-wait SECONDS how long to wait for the answers after the kill (default 60)
              --crash-primary CMD     shell command that crashes the database's primary (pg_ctl -m immediate stop);
                                      with --promote: the promotion part, before the kill (default: none)
              --promote CMD           shell command that promotes the standby, returning once it takes writes
                                      (pg_ctl -w promote); --psql must then reach whichever server takes writes
              --promotion-clients N   clients, spread over the nodes, that probe through the promotion (default 10)
              --promotion-watch SECONDS  silences count until this long after the promotion (default 10)
              --login-wait SECONDS    how long a new client keeps trying to log in after the promotion (default 60)
            """;

    static ClusterSettings parse(String[] args) throws IOException {
        URI server = URI.create("https://127.0.0.1:8443");
        String fingerprint = null;
        String user = "load";
        String token = null;
        int clients = 300;
        Duration ramp = Duration.ZERO;
        int connectors = 0;
        List<Node> nodes = new ArrayList<>();
        Duration settle = Duration.ofSeconds(3);
        String psql = null;
        String kill = null;
        int failoverClients = 10;
        String probeTarget = "10.64.0.1";
        Duration probeInterval = Duration.ofMillis(50);
        Duration probeWarmup = Duration.ofSeconds(12);
        Duration failoverWait = Duration.ofSeconds(60);
        String crashPrimary = null;
        String promote = null;
        int promotionClients = 10;
        Duration promotionWatch = Duration.ofSeconds(10);
        Duration loginWait = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--server" -> server = URI.create(value);
                case "--fingerprint-file" -> fingerprint = firstLine(Path.of(value));
                case "--user" -> user = value;
                case "--token-file" -> token = firstLine(Path.of(value));
                case "--clients" -> clients = whole(option, value, 1);
                case "--ramp" -> ramp = Duration.ofMillis((long) (seconds(option, value) * 1000));
                case "--connectors" -> connectors = whole(option, value, 1);
                case "--node" -> nodes.add(parseNode(value));
                case "--settle" -> settle = Duration.ofMillis((long) (seconds(option, value) * 1000));
                case "--psql" -> psql = value;
                case "--kill" -> kill = value.isBlank() || value.equals("none") ? null : value;
                case "--failover-clients" -> failoverClients = whole(option, value, 0);
                case "--probe-target" -> probeTarget = value;
                case "--probe-interval" -> probeInterval = Duration.ofMillis(whole(option, value, 1));
                case "--probe-warmup" -> probeWarmup = Duration.ofMillis((long) (seconds(option, value) * 1000));
                case "--failover-wait" -> failoverWait = Duration.ofMillis((long) (seconds(option, value) * 1000));
                case "--crash-primary" -> crashPrimary = value.isBlank() ? null : value;
                case "--promote" -> promote = value.isBlank() ? null : value;
                case "--promotion-clients" -> promotionClients = whole(option, value, 0);
                case "--promotion-watch" -> promotionWatch = Duration.ofMillis((long) (seconds(option, value) * 1000));
                case "--login-wait" -> loginWait = Duration.ofMillis((long) (seconds(option, value) * 1000));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (token == null) {
            throw new IllegalArgumentException("--token-file is needed");
        }
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("give at least two --node");
        }
        if (psql == null) {
            throw new IllegalArgumentException("--psql is needed (the placement is counted in the database)");
        }
        if ((crashPrimary == null) != (promote == null)) {
            throw new IllegalArgumentException(
                    "--crash-primary and --promote go together (the promotion part needs both)");
        }
        String killed = kill;
        if (killed != null && nodes.stream().noneMatch(n -> n.name().equals(killed))) {
            throw new IllegalArgumentException("--kill " + killed + " is none of the --node names");
        }
        return new ClusterSettings(
                server,
                fingerprint,
                user,
                token,
                clients,
                ramp,
                connectors == 0 ? clients : Math.min(connectors, clients),
                List.copyOf(nodes),
                settle,
                psql,
                kill,
                failoverClients,
                probeTarget,
                probeInterval,
                probeWarmup,
                failoverWait,
                crashPrimary,
                promote,
                promotionClients,
                promotionWatch,
                loginWait);
    }

    /** Whether the run crashes the primary and promotes its standby (before the kill part). */
    boolean promotes() {
        return crashPrimary != null && promote != null;
    }

    /** The node whose WireGuard endpoint is {@code endpoint} ({@code host:port}), or null. */
    Node nodeAt(String endpoint) {
        return nodes.stream()
                .filter(n -> n.endpoint().equals(endpoint))
                .findFirst()
                .orElse(null);
    }

    Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "server %s, %d clients, ramp %.1f s, %d connector threads, nodes %s, promotion %s, kill %s,"
                        + " %d probing clients every %d ms to %s",
                server,
                clients,
                ramp.toMillis() / 1000.0,
                connectors,
                nodes.stream().map(n -> n.name() + "@" + n.endpoint()).toList(),
                promotes() ? promotionClients + " probing clients" : "none",
                kill == null ? "none" : kill,
                failoverClients,
                probeInterval.toMillis(),
                probeTarget);
    }

    private static Node parseNode(String value) {
        String[] parts = value.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--node takes NAME,HOST:PORT,PID, not '" + value + "'");
        }
        try {
            return new Node(parts[0].strip(), parts[1].strip(), Long.parseLong(parts[2].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--node " + value + ": the pid is not a number");
        }
    }

    private static String firstLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        if (line.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return line;
    }

    private static int whole(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(option + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
        }
    }

    private static double seconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(option + " must be a number of seconds >= 0");
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds, not '" + value + "'");
        }
    }
}
