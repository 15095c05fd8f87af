package dev.wirehaven.wireguard.wgquick;

import java.util.List;
import java.util.Objects;

/**
 * A whole wg-quick file: one {@code [Interface]} and its {@code [Peer]}s in file order. Its text
 * comes from {@link WgQuickWriter}; {@link #toString()} is for logs and never carries secrets.
 */
public record WgQuickConfig(InterfaceSection iface, List<PeerSection> peers) {

    public WgQuickConfig {
        Objects.requireNonNull(iface, "iface");
        peers = List.copyOf(peers);
    }
}
