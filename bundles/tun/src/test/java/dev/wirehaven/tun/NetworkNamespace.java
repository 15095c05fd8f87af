package dev.wirehaven.tun;

import com.sun.jna.Native;
import dev.wirehaven.tun.internal.linux.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away network namespace ({@code ip netns add}) with one JVM thread moved into it by
 * {@code setns(2)}: setns with CLONE_NEWNET changes only the calling thread, and every socket or TUN
 * fd that thread opens belongs to the namespace for its whole life, whichever thread uses it later.
 * {@link #close()} ends the thread and deletes the namespace.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final ExecutorService thread;

    private NetworkNamespace(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether this process may create namespaces and TUN devices (Linux, uid 0, /dev/net/tun, ip). */
    public static String unavailableBecause() {
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")) {
            return "not Linux";
        }
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII).stream()
                    .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
            if (!root) {
                return "not running as root";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no /dev/net/tun";
        }
        if (!Files.isDirectory(Path.of("/var/run"))) {
            return "no /var/run";
        }
        return null;
    }

    public static NetworkNamespace create(String prefix) throws Exception {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        ip("netns", "add", name);
        NetworkNamespace ns = new NetworkNamespace(name);
        try {
            ns.run(() -> {
                int fd = LibC.open("/var/run/netns/" + name, LibC.O_RDONLY | LibC.O_CLOEXEC);
                if (fd < 0) {
                    throw new IOException("open netns " + name + ": " + LibC.describe(Native.getLastError()));
                }
                try {
                    if (LibC.setns(fd, LibC.CLONE_NEWNET) < 0) {
                        throw new IOException("setns " + name + ": " + LibC.describe(Native.getLastError()));
                    }
                } finally {
                    LibC.close(fd);
                }
                return null;
            });
            ip("-n", name, "link", "set", "lo", "up");
        } catch (Exception e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs the task on the thread inside the namespace and returns its result. */
    public <T> T run(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    /** Runs {@code ip -n <namespace> args...} and returns its output. */
    public String ipIn(String... args) throws IOException {
        return IpCommand.inNamespace(name).run(args);
    }

    static String ip(String... args) throws IOException {
        return IpCommand.inThisNamespace().run(args);
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(30, TimeUnit.SECONDS);
        ip("netns", "del", name);
    }
}
