package dev.wirehaven.itests.interop;

import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One end of a tunnel: a userspace WireGuard implementation running in a namespace, configured
 * only through the stock {@code wg} tool and {@code ip}, as an operator would.
 */
final class WgSide {

    /** The program that provides the interface. */
    enum Implementation {
        /** The reference userspace implementation. */
        WIREGUARD_GO,
        /** Ours: {@code bin/wirehaven-wg} of the unpacked distribution. */
        WIREHAVEN;

        /**
         * The implementation under test: ours, unless {@code -Dwirehaven.interop.impl=wireguard-go}
         * asks for wireguard-go on both sides (to prove the harness itself).
         */
        static Implementation underTest() {
            return "wireguard-go".equals(System.getProperty("wirehaven.interop.impl")) ? WIREGUARD_GO : WIREHAVEN;
        }
    }

    final Netns ns;
    final String iface;
    final Implementation implementation;
    final Path workDir;
    final Path logDir;
    final String privateKey;
    final String publicKey;

    /** Keys go to {@code workDir} (deleted after the test), the program's log to {@code logDir} (kept). */
    WgSide(Netns ns, String iface, Implementation implementation, Path workDir, Path logDir) throws IOException {
        this.ns = ns;
        this.iface = iface;
        this.implementation = implementation;
        this.workDir = workDir;
        this.logDir = logDir;
        this.privateKey = Command.run(10, "wg", "genkey").requireOk().stdout().trim();
        this.publicKey = pipe(privateKey, "wg", "pubkey");
        Path keyFile = workDir.resolve(iface + ".key");
        Files.writeString(keyFile, privateKey + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** The distribution's home, from {@code -Dwirehaven.dist}; null when not set or not unpacked. */
    static Path distribution() {
        String dist = System.getProperty("wirehaven.dist");
        if (dist == null || dist.isBlank()) {
            return null;
        }
        Path home = Path.of(dist);
        return Files.isExecutable(home.resolve("bin/wirehaven-wg")) ? home : null;
    }

    Path keyFile() {
        return workDir.resolve(iface + ".key");
    }

    Path logFile() {
        return logDir.resolve(iface + "-" + implementation.name().toLowerCase() + ".log");
    }

    /** Creates the interface (the program daemonizes and returns once its socket is up). */
    void start() throws IOException {
        List<String> argv = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        env.put("LOG_LEVEL", "verbose");
        if (implementation == Implementation.WIREGUARD_GO) {
            argv.add("wireguard-go");
            // with LOG_LEVEL set, wireguard-go's daemon keeps our stdout; a file keeps it for the report
            argv.add(iface);
            Command.Result r = ns.exec(
                    30,
                    env,
                    "sh",
                    "-c",
                    "exec \"$0\" \"$1\" >>\"$2\" 2>&1",
                    argv.get(0),
                    argv.get(1),
                    logFile().toString());
            r.requireOk();
        } else {
            Path dist = distribution();
            env.put("WIREHAVEN_WG_LOG", logFile().toString());
            env.put("JAVA_HOME", OurJvm.javaHome());
            env.put("WIREHAVEN_WG_OPTS", OurJvm.opts());
            ns.exec(60, env, dist.resolve("bin/wirehaven-wg").toString(), iface).requireOk();
        }
    }

    /** Runs {@code wg} in the namespace and fails unless it succeeds. */
    String wg(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("wg"));
        argv.addAll(List.of(args));
        return ns.execOk(argv.toArray(String[]::new)).stdout();
    }

    /** Gives the interface its tunnel addresses and brings it up. */
    void addressAndUp(String v4, String v6) throws IOException {
        ns.execOk("ip", "address", "add", v4, "dev", iface);
        ns.execOk("ip", "-6", "address", "add", v6, "dev", iface, "nodad");
        ns.execOk("ip", "link", "set", iface, "up");
    }

    /** The peer's fields from {@code wg show <iface> dump}, or null if no such peer. */
    PeerStatus peer(String peerPublicKey) throws IOException {
        String[] lines = wg("show", iface, "dump").split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t");
            if (f[0].equals(peerPublicKey)) {
                return new PeerStatus(f[2], Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]));
            }
        }
        return null;
    }

    /** One peer line of {@code wg show dump}: endpoint, latest handshake (epoch s), rx and tx bytes. */
    record PeerStatus(String endpoint, long latestHandshake, long rxBytes, long txBytes) {}

    /** The drop counters of our implementation ({@code wirehaven-wg --stats}). */
    Map<String, Long> dropStats() throws IOException {
        Path dist = distribution();
        String out = ns.execOk(dist.resolve("bin/wirehaven-wg").toString(), "--stats", iface)
                .stdout();
        Map<String, Long> stats = new HashMap<>();
        for (String line : out.split("\n")) {
            // the counters only: --stats also prints lists (blocked_source=...) and averages (..._ms=0.000)
            int eq = line.indexOf('=');
            String value = eq > 0 ? line.substring(eq + 1).trim() : "";
            if (eq > 0 && value.matches("\\d+")) {
                stats.put(line.substring(0, eq), Long.parseLong(value));
            }
        }
        return stats;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String pipe(String input, String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().write((input + "\n").getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", argv) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
