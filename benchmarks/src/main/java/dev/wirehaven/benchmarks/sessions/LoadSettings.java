package dev.wirehaven.benchmarks.sessions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The load generator's command line. Every option has a default except the credential.
 *
 * @param server the control API, {@code https://host:port}
 * @param fingerprint the server certificate's SHA-256 fingerprint ({@code AB:CD:..}), or null to trust on first use
 * @param user the user every client authenticates as (each client is another device of that user)
 * @param password the password, or null
 * @param token the bearer token, or null
 * @param clients clients in the measured run
 * @param ramp how long the starts are spread over (zero: all at once)
 * @param connectors threads that call {@code connect}; fewer than {@code clients} queues the rest
 * @param warmup clients that connect and disconnect first, not measured (JIT, class loading, pools)
 * @param hold how long the sessions stay idle before the heap is measured
 * @param drain how long to wait after the disconnects for the idle HTTPS connections to close (zero: not measured)
 * @param serverPid the server JVM's pid (0: no heap or CPU figures)
 * @param jcmd the {@code jcmd} of the server's JDK
 * @param wgInterface the server's WireGuard interface for {@code wg show} (null: no peer counts)
 * @param clockTicks USER_HZ of the kernel
 */
record LoadSettings(
        URI server,
        String fingerprint,
        String user,
        String password,
        String token,
        int clients,
        Duration ramp,
        int connectors,
        int warmup,
        Duration hold,
        Duration drain,
        long serverPid,
        Path jcmd,
        String wgInterface,
        long clockTicks) {

    static final String USAGE = """
            usage: java --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp benchmarks.jar \\
                     dev.wirehaven.benchmarks.sessions.SessionLoad (--password-file F | --token-file F) [options]

              --server URL           the control API (default https://127.0.0.1:8443)
              --fingerprint FP       the server certificate's SHA-256 fingerprint, AB:CD:...
              --fingerprint-file F   the same from a file (the server's data/tls/fingerprint)
              --user NAME            the user of every client (default load)
              --password-file F      answer the 'password' method with the first line of F
              --token-file F         answer a token method (e.g. static-token) with the first line of F
              --clients N            clients in the measured run (default 1000)
              --ramp SECONDS         spread the starts evenly over this time; 0 = all at once (default 0)
              --connectors N         threads calling connect (default: one per client)
              --warmup N             clients connected and disconnected before, not measured (default 300)
              --hold SECONDS         idle time before the heap is measured (default 5)
              --drain SECONDS        after the disconnects, wait up to this long for the server to close the
                                     idle HTTPS connections (its idle timeout is 90 s), to tell the heap of a
                                     connection from that of a session; 0 = do not (default 100)
              --server-pid PID       the server JVM, for its heap (jcmd) and CPU time (/proc)
              --jcmd PATH            jcmd of the server's JDK (default: the one beside this JVM)
              --interface NAME       the server's WireGuard interface, for 'wg show NAME peers'
              --clk-tck N            the kernel's clock ticks per second (getconf CLK_TCK; default 100)
            """;

    static LoadSettings parse(String[] args) throws IOException {
        URI server = URI.create("https://127.0.0.1:8443");
        String fingerprint = null;
        String user = "load";
        String password = null;
        String token = null;
        int clients = 1000;
        Duration ramp = Duration.ZERO;
        int connectors = 0;
        int warmup = 300;
        Duration hold = Duration.ofSeconds(5);
        Duration drain = Duration.ofSeconds(100);
        long pid = 0;
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String wgInterface = null;
        long clockTicks = 100;
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
                case "--fingerprint" -> fingerprint = value.strip();
                case "--fingerprint-file" -> fingerprint = firstLine(Path.of(value));
                case "--user" -> user = value;
                case "--password-file" -> password = firstLine(Path.of(value));
                case "--token-file" -> token = firstLine(Path.of(value));
                case "--clients" -> clients = positive(option, value);
                case "--ramp" -> ramp = seconds(option, value);
                case "--connectors" -> connectors = positive(option, value);
                case "--warmup" -> warmup = notNegative(option, value);
                case "--hold" -> hold = seconds(option, value);
                case "--drain" -> drain = seconds(option, value);
                case "--server-pid" -> pid = positive(option, value);
                case "--jcmd" -> jcmd = Path.of(value);
                case "--interface" -> wgInterface = value;
                case "--clk-tck" -> clockTicks = positive(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if ((password == null) == (token == null)) {
            throw new IllegalArgumentException("give exactly one of --password-file and --token-file");
        }
        return new LoadSettings(
                server,
                fingerprint,
                user,
                password,
                token,
                clients,
                ramp,
                connectors == 0 ? clients : Math.min(connectors, clients),
                warmup,
                hold,
                drain,
                pid,
                jcmd,
                wgInterface,
                clockTicks);
    }

    /** The credential kind, for the report. */
    String auth() {
        return password != null ? "password" : "token";
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "server %s, user %s, auth %s, %d clients, ramp %.1f s, %d connector threads,"
                        + " %d warm-up clients, hold %d s",
                server,
                user,
                auth(),
                clients,
                ramp.toMillis() / 1000.0,
                connectors,
                warmup,
                hold.toSeconds());
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

    private static int positive(String option, String value) {
        int n = notNegative(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static int notNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
        }
    }

    private static Duration seconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(option + " must be a number of seconds >= 0");
            }
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds, not '" + value + "'");
        }
    }
}
