package dev.wirehaven.benchmarks.sessions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the load generator learns about the server from outside, as an operator would: its live heap
 * through {@code jcmd} (the server's own JDK's), its CPU time from {@code /proc/<pid>/stat}, its
 * WireGuard peers through {@code wg show <interface> peers}, its TCP connections through {@code ss} and
 * the namespace's TCP counters from {@code /proc/net/netstat}. Heap and CPU need the pid, the peer count
 * the interface; without them those figures are left out.
 */
final class ServerProbe {

    private final long pid;
    private final Path jcmd;
    private final String wgInterface;
    private final long clockTicksPerSecond;

    /**
     * @param pid the server JVM's pid, or 0 for none
     * @param jcmd the {@code jcmd} of the JDK that runs the server
     * @param wgInterface the server's WireGuard interface, or null for none
     * @param clockTicksPerSecond the kernel's USER_HZ ({@code getconf CLK_TCK})
     */
    ServerProbe(long pid, Path jcmd, String wgInterface, long clockTicksPerSecond) {
        this.pid = pid;
        this.jcmd = jcmd;
        this.wgInterface = wgInterface;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    boolean knowsProcess() {
        return pid > 0;
    }

    boolean knowsInterface() {
        return wgInterface != null && !wgInterface.isEmpty();
    }

    /** Forces a full collection ({@code GC.run}) and returns the live objects by class (which collects again). */
    ClassHistogram liveHeap() throws IOException, InterruptedException {
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        return ClassHistogram.parse(run(jcmd.toString(), Long.toString(pid), "GC.class_histogram"));
    }

    /** User plus system CPU time of the server process so far, in milliseconds. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name in parentheses may contain blanks: count the fields after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 1000 / clockTicksPerSecond;
    }

    /** The number of peers on the server's WireGuard interface, by the stock tool. */
    int peerCount() throws IOException, InterruptedException {
        String out = run("wg", "show", wgInterface, "peers");
        int n = 0;
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                n++;
            }
        }
        return n;
    }

    /** Established TCP connections to the server's local {@code port} (in this network namespace), by {@code ss}. */
    int connectionsTo(int port) throws IOException, InterruptedException {
        String out = run("ss", "-tnH", "state", "established", "( sport = :" + port + " )");
        int n = 0;
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                n++;
            }
        }
        return n;
    }

    /**
     * TCP counters of this network namespace (the server's and the clients'): {@code ListenOverflows}
     * and {@code ListenDrops} count connection attempts refused because the server's accept queue was
     * full (the client then retries its SYN after 1 s, 3 s, 7 s...), {@code TCPSynRetrans} the SYNs sent again.
     */
    static Map<String, Long> tcpCounters() throws IOException {
        Map<String, Long> wanted = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("TcpExt:") || !lines.get(i + 1).startsWith("TcpExt:")) {
                continue;
            }
            String[] names = lines.get(i).split("\\s+");
            String[] values = lines.get(i + 1).split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                if (names[k].equals("ListenOverflows")
                        || names[k].equals("ListenDrops")
                        || names[k].equals("TCPSynRetrans")) {
                    wanted.put(names[k], Long.parseLong(values[k]));
                }
            }
            break;
        }
        return wanted;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = readAll(in);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with status " + p.exitValue() + ": "
                    + out.substring(0, Math.min(500, out.length())).strip());
        }
        return out;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The command lines this probe would run, for the report. */
    List<String> describe() {
        List<String> parts = new ArrayList<>();
        if (knowsProcess()) {
            parts.add("heap: " + jcmd + " " + pid + " GC.run, GC.class_histogram; CPU: /proc/" + pid + "/stat");
        }
        if (knowsInterface()) {
            parts.add("peers: wg show " + wgInterface + " peers");
        }
        return parts;
    }
}
