package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host without privileges: in-memory TUN devices, one in-memory network on which every interface
 * of this host binds the same addresses (so that two of them on one port collide as on a real
 * host), UAPI sockets in a directory of the test's, a directory of the test's in place of
 * {@code /proc/sys} (every parameter 0 until written; an interface's appear when it is created), an
 * {@code nft} that records what it was given, and a routing table in memory.
 */
final class MemoryHost implements InterfaceHost {

    private final MemoryNetwork network = new MemoryNetwork();
    private final InetAddress v4 = network.newAddressV4();
    private final InetAddress v6 = network.newAddressV6();
    private final Path uapiDirectory;
    private final List<MemoryTun> created = new CopyOnWriteArrayList<>();
    private final Path procSys;
    private final Sysctls sysctls;
    private final RecordingNft nft = new RecordingNft();
    private final MemoryRoutes routes = new MemoryRoutes();

    /** The parameters go to {@code sys} beside {@code uapiDirectory}. */
    MemoryHost(Path uapiDirectory) {
        this.uapiDirectory = uapiDirectory;
        this.procSys = uapiDirectory.resolveSibling("sys");
        this.sysctls = new Sysctls(procSys);
        for (String family : List.of("ipv4", "ipv6")) {
            parameter("net/" + family + "/conf/all/forwarding", "0");
            parameter("net/" + family + "/conf/default/forwarding", "0");
        }
    }

    @Override
    public TunDevice createInterface(InterfaceSettings settings) {
        MemoryTun tun = new MemoryTun(settings.name(), settings.mtu());
        addLink(settings.name());
        created.add(tun);
        return tun;
    }

    @Override
    public Sysctls sysctls() {
        return sysctls;
    }

    @Override
    public RecordingNft nft() {
        return nft;
    }

    @Override
    public MemoryRoutes routes() {
        return routes;
    }

    /** An interface of the host: its forwarding parameters appear, at 0 (IPv6 without force_forwarding). */
    void addLink(String name) {
        if (!Files.exists(procSys.resolve("net/ipv4/conf/" + name + "/forwarding"))) {
            parameter("net/ipv4/conf/" + name + "/forwarding", "0");
            parameter("net/ipv6/conf/" + name + "/forwarding", "0");
        }
    }

    /** Writes a parameter as the kernel would show it ({@code net/ipv4/conf/eth0/forwarding}). */
    void parameter(String path, String value) {
        try {
            Path file = procSys.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parameter's value. */
    String parameter(String path) {
        try {
            return Files.readString(procSys.resolve(path)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BindFactory binds() {
        return network.factoryAt(v4, v6);
    }

    @Override
    public Path uapiDirectory() {
        return uapiDirectory;
    }

    /** The network on which this host's interfaces bind, for a peer device of a test's. */
    MemoryNetwork network() {
        return network;
    }

    /** The IPv4 address at which this host's interfaces are reached. */
    InetAddress addressV4() {
        return v4;
    }

    /** Every TUN device created so far, in order. */
    List<MemoryTun> created() {
        return created;
    }
}
