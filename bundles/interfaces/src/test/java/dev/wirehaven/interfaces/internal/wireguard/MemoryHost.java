package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host without privileges: in-memory TUN devices, one in-memory network on which every interface
 * of this host binds the same addresses (so that two of them on one port collide as on a real
 * host), and UAPI sockets in a directory of the test's.
 */
final class MemoryHost implements InterfaceHost {

    private final MemoryNetwork network = new MemoryNetwork();
    private final InetAddress v4 = network.newAddressV4();
    private final InetAddress v6 = network.newAddressV6();
    private final Path uapiDirectory;
    private final List<MemoryTun> created = new CopyOnWriteArrayList<>();

    MemoryHost(Path uapiDirectory) {
        this.uapiDirectory = uapiDirectory;
    }

    @Override
    public TunDevice createInterface(InterfaceSettings settings) {
        MemoryTun tun = new MemoryTun(settings.name(), settings.mtu());
        created.add(tun);
        return tun;
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
