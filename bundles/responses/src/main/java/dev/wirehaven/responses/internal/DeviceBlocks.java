package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the blocks on the WireGuard devices: each device is given the whole list of blocked
 * prefixes whenever it changes and when the device appears, so that a blocked source completes no
 * handshake. A device that refuses the list is logged and left as it is: the other devices, and the
 * control API's own check, still hold the block.
 */
final class DeviceBlocks {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceBlocks.class);

    private final Set<WireGuardDevice> devices = new CopyOnWriteArraySet<>();
    private volatile List<Cidr> blocked = List.of();

    /** A device appeared: it gets the blocks in force now. */
    synchronized void add(WireGuardDevice device) {
        devices.add(device);
        push(device, blocked);
    }

    void remove(WireGuardDevice device) {
        devices.remove(device);
    }

    /** The blocks in force changed: every device gets the new list. */
    synchronized void blockOnly(List<IpPrefix> prefixes) {
        List<Cidr> next = new ArrayList<>(prefixes.size());
        for (IpPrefix p : prefixes) {
            next.add(new Cidr(p.address(), p.prefixLength()));
        }
        blocked = List.copyOf(next);
        for (WireGuardDevice device : devices) {
            push(device, blocked);
        }
    }

    private static void push(WireGuardDevice device, List<Cidr> sources) {
        try {
            device.configure(tx -> tx.blockSources(sources));
        } catch (ConfigException | RuntimeException e) {
            LOG.error(
                    "WireGuard device {} did not take the {} blocked sources; the control API still refuses them: {}",
                    device.name(),
                    sources.size(),
                    e.toString());
        }
    }
}
