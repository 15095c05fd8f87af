package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Two namespaces joined by a veth pair; side A runs wireguard-go, side B the implementation under
 * test. Addresses are from 198.18.0.0/15 (RFC 2544, for benchmarking) and ULA space, and exist only
 * inside the namespaces.
 *
 * <pre>
 *   namespace A: wireguard-go                     namespace B: implementation under test
 *  +-------------------------------+             +-------------------------------+
 *  | veth0  198.18.0.1/24 fd18::1  |=== veth ====| veth0  198.18.0.2/24 fd18::2  |
 *  | wgaN   198.19.0.1/24 fd19::1  |  UDP 51820  | wgbN   198.19.0.2/24 fd19::2  |
 *  |        listen-port 51820      |   <-> 51821 |        listen-port 51821      |
 *  +-------------------------------+             +-------------------------------+
 * </pre>
 */
final class Topology implements AutoCloseable {

    static final String A_UNDER4 = "198.18.0.1";
    static final String B_UNDER4 = "198.18.0.2";
    static final String A_UNDER6 = "fd18::1";
    static final String B_UNDER6 = "fd18::2";
    static final String A_TUN4 = "198.19.0.1";
    static final String B_TUN4 = "198.19.0.2";
    static final String A_TUN6 = "fd19::1";
    static final String B_TUN6 = "fd19::2";
    static final int A_PORT = 51820;
    static final int B_PORT = 51821;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Path workDir;
    final Netns nsA;
    final Netns nsB;
    final WgSide a;
    final WgSide b;

    /**
     * Skips the calling test unless this machine can run it: root, {@code ip}, {@code wg},
     * {@code wireguard-go} and (for our side) the unpacked distribution.
     */
    static void assumeRunnable(WgSide.Implementation underTest) {
        Assumptions.assumeTrue(Command.isRoot(), "interop tests need root (network namespaces)");
        Assumptions.assumeTrue(Command.which("ip") != null, "interop tests need iproute2's ip");
        Assumptions.assumeTrue(Command.which("wg") != null, "interop tests need wireguard-tools' wg");
        Assumptions.assumeTrue(
                Command.which("wireguard-go") != null, "interop tests need wireguard-go as the reference peer");
        Assumptions.assumeTrue(Command.which("ping") != null, "interop tests need iputils' ping");
        if (underTest == WgSide.Implementation.WIREHAVEN) {
            Assumptions.assumeTrue(
                    WgSide.distribution() != null,
                    "interop tests need -Dwirehaven.dist pointing at the unpacked distribution");
        }
    }

    /** Builds the namespaces and the veth link and starts both implementations, unconfigured. */
    static Topology create(WgSide.Implementation underTest, Path logDir) throws IOException {
        return create(underTest, logDir, true);
    }

    /**
     * As {@link #create(WgSide.Implementation, Path)}; with {@code startB} false, side B's interface
     * is left for the test to create (wg-quick does it).
     */
    static Topology create(WgSide.Implementation underTest, Path logDir, boolean startB) throws IOException {
        return create(WgSide.Implementation.WIREGUARD_GO, underTest, logDir, startB);
    }

    /** As {@link #create(WgSide.Implementation, Path)} with side A's implementation chosen as well. */
    static Topology create(WgSide.Implementation sideA, WgSide.Implementation sideB, Path logDir, boolean startB)
            throws IOException {
        TestFiles.deleteTree(logDir);
        Files.createDirectories(logDir);
        Path work = Files.createTempDirectory("wh-interop-");
        List<AutoCloseable> made = new ArrayList<>();
        try {
            Netns nsA = Netns.create("a");
            made.add(nsA);
            Netns nsB = Netns.create("b");
            made.add(nsB);
            Netns.veth(nsA, "veth0", nsB, "veth0");
            nsA.execOk("ip", "address", "add", A_UNDER4 + "/24", "dev", "veth0");
            nsB.execOk("ip", "address", "add", B_UNDER4 + "/24", "dev", "veth0");
            nsA.execOk("ip", "-6", "address", "add", A_UNDER6 + "/64", "dev", "veth0", "nodad");
            nsB.execOk("ip", "-6", "address", "add", B_UNDER6 + "/64", "dev", "veth0", "nodad");
            String id = (ProcessHandle.current().pid() % 100000) + "x" + COUNTER.incrementAndGet();
            WgSide a = new WgSide(nsA, "wga" + id, sideA, work, logDir);
            WgSide b = new WgSide(nsB, "wgb" + id, sideB, work, logDir);
            a.start();
            a.addressAndUp(A_TUN4 + "/24", A_TUN6 + "/64");
            if (startB) {
                b.start();
                b.addressAndUp(B_TUN4 + "/24", B_TUN6 + "/64");
            }
            return new Topology(work, nsA, nsB, a, b);
        } catch (IOException | RuntimeException | Error e) {
            made.add(() -> TestFiles.deleteTree(work));
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private Topology(Path workDir, Netns nsA, Netns nsB, WgSide a, WgSide b) {
        this.workDir = workDir;
        this.nsA = nsA;
        this.nsB = nsB;
        this.a = a;
        this.b = b;
    }

    /** Side A's keys, listen port and peer B; {@code extra} are more {@code wg set} words for the peer. */
    void configureA(String endpointOfB, String... extra) throws IOException {
        configure(a, A_PORT, b, endpointOfB, B_TUN4 + "/32," + B_TUN6 + "/128", extra);
    }

    void configureB(String endpointOfA, String... extra) throws IOException {
        configure(b, B_PORT, a, endpointOfA, A_TUN4 + "/32," + A_TUN6 + "/128", extra);
    }

    private static void configure(WgSide self, int port, WgSide peer, String endpoint, String allowed, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "set",
                self.iface,
                "private-key",
                self.keyFile().toString(),
                "listen-port",
                Integer.toString(port),
                "peer",
                peer.publicKey,
                "allowed-ips",
                allowed));
        if (endpoint != null) {
            args.add("endpoint");
            args.add(endpoint);
        }
        args.addAll(List.of(extra));
        self.wg(args.toArray(String[]::new));
    }

    /** Pings {@code address} from {@code ns} until {@code count} replies or the deadline; true if any came back. */
    /**
     * A veth pair between two namespaces, named {@code to<b's tag>} in {@code a} and {@code veth0} in
     * {@code b}, with an address on each end.
     */
    static void link(Netns a, String addressA, Netns b, String addressB, int prefix) throws IOException {
        String ifA = "to" + b.name.charAt(2);
        Netns.veth(a, ifA, b, "veth0");
        a.execOk("ip", "address", "add", addressA + "/" + prefix, "dev", ifA);
        b.execOk("ip", "address", "add", addressB + "/" + prefix, "dev", "veth0");
    }

    /** A fresh WireGuard public key from {@code wg genkey | wg pubkey}, as a client would make one. */
    static String newPublicKey() throws IOException {
        String privateKey = Command.run(10, "wg", "genkey").requireOk().stdout().trim();
        return Command.run(10, Map.of(), List.of("sh", "-c", "echo " + privateKey + " | wg pubkey"))
                .requireOk()
                .stdout()
                .trim();
    }

    static boolean ping(Netns ns, String address, int count, int deadlineSeconds) throws IOException {
        String program = address.contains(":") ? "ping6" : "ping";
        if (Command.which(program) == null) {
            program = "ping";
        }
        Command.Result r = ns.exec(
                deadlineSeconds + 10,
                Map.of(),
                program,
                "-c",
                Integer.toString(count),
                "-i",
                "0.2",
                "-w",
                Integer.toString(deadlineSeconds),
                address);
        return r.exitCode() == 0;
    }

    /** The logs of both implementations, for a failure report. */
    String logs() {
        return "---- " + a.iface + " (" + a.implementation + ") log:\n" + a.logTail() + "\n---- " + b.iface + " ("
                + b.implementation + ") log:\n" + b.logTail();
    }

    @Override
    public void close() throws IOException {
        try {
            nsA.close();
        } finally {
            nsB.close();
            TestFiles.deleteTree(workDir);
        }
    }

    /** Where a test's logs are kept: {@code target/interop-logs/<class>/<method>}. */
    static Path logDir(Class<?> testClass, String method) {
        return Path.of(
                System.getProperty("wirehaven.interop.logs", "target/interop-logs"), testClass.getSimpleName(), method);
    }
}
