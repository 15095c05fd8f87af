package dev.wirehaven.itests.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace that a test creates and deletes: everything that runs in it, and every
 * address in it, stays off the host's network. {@link #close()} kills every process still inside
 * (daemons that detached included, found by {@code ip netns pids}) and deletes the namespace.
 */
final class Netns implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    private final List<Process> spawned = new CopyOnWriteArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    /** A new namespace with its loopback up, named {@code wh<tag><pid><n>}. */
    static Netns create(String tag) throws IOException {
        String name = "wh" + tag + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
        Command.run(10, "ip", "netns", "add", name).requireOk();
        Netns ns = new Netns(name);
        ns.execOk("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Connects two namespaces with a veth pair, {@code ifA} in {@code a} and {@code ifB} in {@code b}, both up. */
    static void veth(Netns a, String ifA, Netns b, String ifB) throws IOException {
        a.execOk("ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name);
        a.execOk("ip", "link", "set", ifA, "up");
        b.execOk("ip", "link", "set", ifB, "up");
    }

    Command.Result exec(long timeoutSeconds, Map<String, String> env, String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        return Command.run(timeoutSeconds, env, full);
    }

    Command.Result exec(String... argv) throws IOException {
        return exec(60, Map.of(), argv);
    }

    Command.Result execOk(String... argv) throws IOException {
        return exec(argv).requireOk();
    }

    /** Runs {@code script} with {@code sh -c} in the namespace. */
    Command.Result sh(String script) throws IOException {
        return exec("sh", "-c", script);
    }

    /** Starts a long-running program in the namespace; its output goes to {@code log}. */
    Process spawn(Path log, Map<String, String> env, String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        spawned.add(p);
        return p;
    }

    /** As {@link #spawn}, with stdin a pipe that the caller writes to ({@link Process#getOutputStream()}). */
    Process spawnWithInput(Path log, Map<String, String> env, String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        spawned.add(p);
        return p;
    }

    /** The process ids of everything running in the namespace. */
    List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : Command.run(10, "ip", "netns", "pids", name).stdout().split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    @Override
    public void close() throws IOException {
        for (Process p : spawned) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        List<ProcessHandle> inside = new ArrayList<>();
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(inside::add);
        }
        inside.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : inside) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(50);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (Process p : spawned) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        Command.run(10, "ip", "netns", "del", name);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
