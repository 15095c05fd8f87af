package dev.wirehaven.client;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a connection's tunnel lives: the TUN device, the UDP sockets and the host's network
 * configuration. {@link LinuxPlatform} is a real interface with routes and DNS; an application
 * that handles the packets itself implements this with a TUN device of its own. Tests and load
 * benchmarks keep everything in the process with {@code MemoryPlatform} (wirehaven-client-testing).
 */
@ConsumerType
public interface TunnelPlatform {

    /** Opens the TUN device; the WireGuard device owns it from then on. */
    TunDevice openTun(String interfaceName, int mtu) throws IOException;

    /** Opens the WireGuard device's UDP sockets. */
    BindFactory binds();

    /** The WireGuard device's tunables. */
    default DeviceOptions deviceOptions() {
        return DeviceOptions.defaults();
    }

    /** Configures the host's network for the tunnel, after the device is up. */
    HostNetwork configure(String interfaceName, NetworkSettings settings) throws IOException;

    /**
     * Makes a started device visible to tools (such as {@code wg show} through its userspace API);
     * closing the result stops that. By default nothing is published.
     */
    default AutoCloseable publish(WireGuardDevice device) throws IOException {
        return () -> {};
    }
}
