package dev.wirehaven.client.testing;

import dev.wirehaven.client.HostNetwork;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.TunnelPlatform;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import java.util.Objects;

/**
 * A tunnel that stays in the process: a {@link MemoryTun} whose other side the application reads
 * and writes (IP packets in, IP packets out), UDP sockets of the caller's choice (real ones such as
 * {@code UdpBind::open}, or a {@code MemoryNetwork}'s), and no change to the host's routes or DNS.
 * For tests and load benchmarks of the client SDK; not part of the SDK that applications ship.
 */
public final class MemoryPlatform implements TunnelPlatform {

    private final BindFactory binds;
    private final DeviceOptions deviceOptions;
    private volatile MemoryTun tun;
    private volatile NetworkSettings settings;

    public MemoryPlatform(BindFactory binds, DeviceOptions deviceOptions) {
        this.binds = Objects.requireNonNull(binds, "binds");
        this.deviceOptions = Objects.requireNonNull(deviceOptions, "deviceOptions");
    }

    /** The TUN device opened last, or {@code null} before the connection brought the tunnel up. */
    public MemoryTun tun() {
        return tun;
    }

    /** The settings the connection asked for last (what a real host would have configured), or {@code null}. */
    public NetworkSettings settings() {
        return settings;
    }

    @Override
    public TunDevice openTun(String interfaceName, int mtu) {
        MemoryTun t = new MemoryTun(interfaceName, mtu);
        tun = t;
        return t;
    }

    @Override
    public BindFactory binds() {
        return binds;
    }

    @Override
    public DeviceOptions deviceOptions() {
        return deviceOptions;
    }

    @Override
    public HostNetwork configure(String interfaceName, NetworkSettings initial) {
        settings = initial;
        return new HostNetwork() {
            private volatile NetworkSettings current = initial;

            @Override
            public void update(NetworkSettings next) {
                current = next;
                settings = next;
            }

            @Override
            public NetworkSettings settings() {
                return current;
            }

            @Override
            public void close() throws IOException {
                // nothing was changed on the host
            }
        };
    }
}
