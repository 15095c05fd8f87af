package dev.wirehaven.wireguard;

import java.util.List;
import java.util.Map;

/**
 * A consistent view of a device's configuration and counters at one moment, as the userspace
 * API's {@code get=1} reports it.
 *
 * @param privateKey the interface's private key, or {@code null} when none is set
 * @param listenPort the bound UDP port
 * @param fwmark the firewall mark, 0 when unset
 * @param peers every peer, in the order they were added
 * @param drops packets dropped since the device started, by reason
 */
public record DeviceSnapshot(
        Key privateKey, int listenPort, int fwmark, List<PeerSnapshot> peers, Map<DropReason, Long> drops) {

    public DeviceSnapshot {
        peers = List.copyOf(peers);
        drops = Map.copyOf(drops);
    }
}
