package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.InterfaceConfigurator;
import dev.wirehaven.tun.LinuxTun;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.UserspaceApi;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server's own network namespace: a TUN interface configured with {@code ip} (as wg-quick
 * does), UDP sockets on all addresses, the UAPI sockets in {@code /var/run/wireguard}, where the
 * stock {@code wg} finds them, the kernel parameters in {@code /proc/sys}, the system's {@code nft},
 * and its main routing table through {@code ip}.
 */
final class LinuxHost implements InterfaceHost {

    /** Lists every interface of the calling process's namespace, with or without addresses. */
    private static final Path PROC_NET_DEV = Path.of("/proc/self/net/dev");

    private static final Nft NFT = Nft.system();

    private static final RouteTable ROUTES = RouteTable.system();

    @Override
    public TunDevice createInterface(InterfaceSettings settings) throws IOException {
        String name = settings.name();
        if (interfaceExists(name)) {
            // TUNSETIFF on a name that another kind of interface holds fails with a bare EINVAL or EBUSY
            throw new IOException("an interface named " + name + " already exists in this network namespace"
                    + " (kernel WireGuard, wireguard-go or an earlier server?); delete it (ip link del " + name
                    + ") or choose another name");
        }
        // LinuxTun sets the MTU itself, before the interface carries anything
        TunDevice tun = LinuxTun.open(name, settings.mtu());
        try {
            InterfaceConfigurator link = InterfaceConfigurator.of(name);
            for (InterfaceAddress address : settings.addresses()) {
                link.addAddress(address.toString());
            }
            link.up();
            return tun;
        } catch (IOException | RuntimeException e) {
            try {
                tun.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public BindFactory binds() {
        return BindFactory.system();
    }

    @Override
    public Path uapiDirectory() {
        return UserspaceApi.DEFAULT_DIRECTORY;
    }

    @Override
    public Sysctls sysctls() {
        return Sysctls.SYSTEM;
    }

    @Override
    public Nft nft() {
        return NFT;
    }

    @Override
    public RouteTable routes() {
        return ROUTES;
    }

    private static boolean interfaceExists(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_NET_DEV, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // cannot tell: let LinuxTun try, and report what the kernel says
            return false;
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
