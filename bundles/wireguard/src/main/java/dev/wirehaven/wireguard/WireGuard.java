package dev.wirehaven.wireguard;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.internal.device.Device;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;

/** Creates userspace WireGuard devices. */
public final class WireGuard {

    private WireGuard() {}

    /**
     * Creates and starts a device. It opens its UDP bind on a free port at once (configure
     * {@link DeviceConfigurator#listenPort} to choose one), then waits for a private key and peers.
     *
     * @param name the interface name reported by {@link WireGuardDevice#name()}
     * @param tun the TUN device; the WireGuard device owns it from now on and closes it
     * @param binds opens the UDP bind (again when the listen port changes)
     * @param options tunables, e.g. {@link DeviceOptions#defaults()}
     * @throws IOException if the first bind cannot be opened
     */
    public static WireGuardDevice createDevice(String name, TunDevice tun, BindFactory binds, DeviceOptions options)
            throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tun, "tun");
        Objects.requireNonNull(binds, "binds");
        Objects.requireNonNull(options, "options");
        return Device.create(name, tun, binds, options, Clock.SYSTEM, new SecureRandom(), true);
    }
}
