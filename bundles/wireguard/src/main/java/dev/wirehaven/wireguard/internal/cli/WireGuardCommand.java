package dev.wirehaven.wireguard.internal.cli;

import dev.wirehaven.tun.LinuxTun;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.internal.uapi.UapiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code wirehaven-wg}: the userspace implementation's command line of the cross-platform
 * interface (wireguard.com/xplatform), what {@code wireguard-go wg0} is for Go:
 *
 * <pre>
 * wirehaven-wg [-f|--foreground] INTERFACE   create the TUN interface, serve its UAPI socket, run
 * wirehaven-wg --stats INTERFACE             print the drop counters of a running interface, its
 *                                            completed handshakes and their mean latency, its
 *                                            blocked source prefixes and rate-limited sources, and
 *                                            the open flows, denials and distinct denied
 *                                            destinations of each filtered peer
 * </pre>
 *
 * The JVM always runs in the foreground; {@code bin/wirehaven-wg} puts it in the background when
 * {@code -f} is not given. Like wireguard-go it prints nothing when all is well, creates the
 * interface down (wg-quick or {@code ip} brings it up and sets its MTU), and stops on SIGTERM or
 * SIGINT, when the interface is deleted ({@code ip link del}, {@code wg-quick down}) or when its
 * socket is removed.
 */
public final class WireGuardCommand {

    /** wireguard-go's default MTU; wg-quick sets the real one afterwards. */
    static final int DEFAULT_MTU = 1420;

    private static final Path PROC_NET_DEV = Path.of("/proc/self/net/dev");

    /** How often the interface and the socket are checked for removal. */
    static final long WATCH_INTERVAL_MILLIS = 500;

    /** Exit status of a failed start. */
    static final int EXIT_SETUP_FAILED = 1;
    /** Exit status of a usage error. */
    static final int EXIT_USAGE = 2;

    private WireGuardCommand() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, UapiServer.DEFAULT_DIRECTORY, System.getenv("LOG_LEVEL"));
        if (status != Integer.MIN_VALUE) {
            System.exit(status);
        }
    }

    /** What the command line asks for. */
    record Invocation(boolean stats, String iface) {}

    /** Parses the arguments, or returns {@code null} if they are not a valid invocation. */
    static Invocation parse(String[] args) {
        List<String> a = List.of(args);
        if (a.size() == 2 && (a.get(0).equals("-f") || a.get(0).equals("--foreground"))) {
            return new Invocation(false, a.get(1));
        }
        if (a.size() == 2 && a.get(0).equals("--stats")) {
            return new Invocation(true, a.get(1));
        }
        if (a.size() == 1 && !a.get(0).startsWith("-")) {
            return new Invocation(false, a.get(0));
        }
        return null;
    }

    /**
     * Runs the command; returns the exit status, or {@link Integer#MIN_VALUE} when the interface
     * ran and the JVM's shutdown already decides the status.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Path socketDirectory, String logLevel) {
        Invocation invocation = parse(args);
        if (invocation == null) {
            err.println("usage: wirehaven-wg [-f|--foreground] INTERFACE-NAME");
            err.println("       wirehaven-wg --stats INTERFACE-NAME");
            return EXIT_USAGE;
        }
        String problem = InterfaceName.problem(invocation.iface());
        if (problem != null) {
            err.println("wirehaven-wg: " + problem);
            return EXIT_USAGE;
        }
        if (invocation.stats()) {
            return printStats(invocation.iface(), socketDirectory, out, err);
        }
        StderrLog log = new StderrLog(StderrLog.Level.of(logLevel), invocation.iface(), err);
        Running running;
        try {
            running = start(invocation.iface(), socketDirectory, log);
        } catch (IOException | RuntimeException e) {
            err.println("wirehaven-wg: " + e.getMessage());
            return EXIT_SETUP_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "wirehaven-wg-shutdown"));
        String reason = running.awaitRemoval();
        if (reason == null) {
            // a signal: the shutdown hook stops everything and the JVM sets the status
            return Integer.MIN_VALUE;
        }
        log.verbose("Shutting down: " + reason);
        running.stop();
        return 0;
    }

    /** The TUN interface, the device and its sockets, from start to stop. */
    static final class Running {
        private final String iface;
        private final WireGuardDevice device;
        private final UapiServer server;
        private final StderrLog log;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private boolean stopping;

        Running(String iface, WireGuardDevice device, UapiServer server, StderrLog log) {
            this.iface = iface;
            this.device = device;
            this.server = server;
            this.log = log;
        }

        /**
         * Blocks until the interface or the socket disappears, and says which; or until {@link #stop}
         * runs (a signal's shutdown hook), and returns {@code null}.
         */
        String awaitRemoval() {
            while (true) {
                try {
                    if (stopped.await(WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                        return null;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
                if (!server.socketPresent()) {
                    return "UAPI socket " + server.socketPath() + " was removed";
                }
                if (!interfaceExists(iface)) {
                    return "interface " + iface + " was removed";
                }
            }
        }

        /** Closes the sockets, then the device (which closes the TUN, removing the interface). */
        void stop() {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                stopping = true;
            }
            server.close();
            device.close();
            log.verbose("Device closed");
            stopped.countDown();
        }
    }

    static Running start(String iface, Path socketDirectory, StderrLog log) throws IOException {
        if (interfaceExists(iface)) {
            throw new IOException("interface " + iface
                    + " already exists; choose another name or delete it (ip link del " + iface + ")");
        }
        UapiServer.requireNotServed(socketDirectory, iface);
        TunDevice tun;
        try {
            tun = LinuxTun.open(iface, DEFAULT_MTU);
        } catch (IOException e) {
            throw new IOException("cannot create TUN interface " + iface + ": " + e.getMessage(), e);
        }
        WireGuardDevice device;
        try {
            device = WireGuard.createDevice(iface, tun, BindFactory.system(), DeviceOptions.defaults());
        } catch (IOException | RuntimeException e) {
            closeQuietly(tun);
            throw new IOException("cannot start the device: " + e.getMessage(), e);
        }
        log.info("Device started: " + device.dataPath());
        try {
            UapiServer server = UapiServer.start(device, socketDirectory, log);
            log.verbose("UAPI listener started on " + server.socketPath());
            return new Running(iface, device, server, log);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw new IOException("cannot serve the UAPI socket: " + e.getMessage(), e);
        }
    }

    /**
     * Whether this process's network namespace has an interface {@code iface}.
     * {@code /proc/self/net/dev} lists every interface of the namespace, with or without addresses;
     * {@link java.net.NetworkInterface} misses those without any (as a fresh TUN interface is), and
     * {@code /sys/class/net} shows another namespace's unless sysfs was remounted.
     */
    static boolean interfaceExists(String iface) {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_NET_DEV, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // cannot tell; keep running rather than shut down on a transient error
            return true;
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(iface)) {
                return true;
            }
        }
        return false;
    }

    static int printStats(String iface, Path socketDirectory, PrintStream out, PrintStream err) {
        Path stats = UapiServer.statsPath(socketDirectory, iface);
        if (!Files.exists(stats)) {
            err.println("wirehaven-wg: " + iface + " is not served by wirehaven-wg here (no " + stats + ")");
            return EXIT_SETUP_FAILED;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(stats))) {
            // the server writes the counters and closes; with many filtered peers that is more than a buffer
            ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (channel.read(buf) >= 0) {
                text.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            out.print(text.toString(StandardCharsets.US_ASCII).stripTrailing() + "\n");
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("wirehaven-wg: cannot read " + stats + ": " + e.getMessage());
            return EXIT_SETUP_FAILED;
        }
    }

    private static void closeQuietly(TunDevice tun) {
        try {
            tun.close();
        } catch (IOException e) {
            // already failing; the first error is the one to report
        }
    }
}
