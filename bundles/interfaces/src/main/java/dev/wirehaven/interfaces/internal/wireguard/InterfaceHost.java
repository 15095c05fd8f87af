package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What an interface needs from the machine: the TUN interface with its addresses, UDP sockets, the
 * directory where {@code wg} looks for userspace interfaces, for a full tunnel the kernel's
 * forwarding parameters and nftables, and the routing table for the peers' subnets. {@link LinuxHost} is the real one;
 * tests run the same {@link RunningInterface} over in-memory TUN devices and binds.
 */
interface InterfaceHost {

    /**
     * Creates the network interface with the settings' MTU and addresses, and brings it up.
     *
     * @throws IOException with what went wrong and what to do (no privileges, name taken, ...)
     */
    TunDevice createInterface(InterfaceSettings settings) throws IOException;

    /** Opens the device's UDP sockets. */
    BindFactory binds();

    /** Where the UAPI sockets go. */
    Path uapiDirectory();

    /** The kernel parameters that forwarding sets ({@code /proc/sys}), shared by the interfaces of this host. */
    Sysctls sysctls();

    /** nftables' {@code nft}, for the masquerade. */
    Nft nft();

    /** The kernel's main routing table, for the routes to the peers' subnets ({@link PeerRoutes}). */
    RouteTable routes();
}
