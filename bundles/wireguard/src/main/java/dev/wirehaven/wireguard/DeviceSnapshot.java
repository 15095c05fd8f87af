package dev.wirehaven.wireguard;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A consistent view of a device's configuration and counters at one moment, as the userspace
 * API's {@code get=1} reports it.
 *
 * @param privateKey the interface's private key, or {@code null} when none is set
 * @param listenPort the bound UDP port
 * @param fwmark the firewall mark, 0 when unset
 * @param peers every peer, in the order they were added
 * @param drops packets dropped since the device started, by reason
 * @param blockedSources the source prefixes whose handshake messages are dropped
 *        ({@link DeviceConfigurator#blockSources}), IPv4 first, each family in address order; since 1.2
 * @param rateLimitedSources handshake messages that the per-source rate limit refused, by source (an
 *        IPv4 address, or the /64 prefix of an IPv6 source as its first address), counted since the
 *        source entered the table of at most 16 sources that the device keeps; since 1.2
 * @param handshakes the handshakes completed since the device started and their latencies; since 1.2
 */
public record DeviceSnapshot(
        Key privateKey,
        int listenPort,
        int fwmark,
        List<PeerSnapshot> peers,
        Map<DropReason, Long> drops,
        List<Cidr> blockedSources,
        Map<InetAddress, Long> rateLimitedSources,
        HandshakeStats handshakes) {

    public DeviceSnapshot {
        peers = List.copyOf(peers);
        drops = Map.copyOf(drops);
        blockedSources = List.copyOf(blockedSources);
        rateLimitedSources = Map.copyOf(rateLimitedSources);
        Objects.requireNonNull(handshakes, "handshakes");
    }

    /** A device that has completed no handshake (the shape before handshake statistics). */
    public DeviceSnapshot(
            Key privateKey,
            int listenPort,
            int fwmark,
            List<PeerSnapshot> peers,
            Map<DropReason, Long> drops,
            List<Cidr> blockedSources,
            Map<InetAddress, Long> rateLimitedSources) {
        this(privateKey, listenPort, fwmark, peers, drops, blockedSources, rateLimitedSources, HandshakeStats.none());
    }

    /** A device that blocks no source, has rate-limited none and completed no handshake (the 1.1 shape). */
    public DeviceSnapshot(
            Key privateKey, int listenPort, int fwmark, List<PeerSnapshot> peers, Map<DropReason, Long> drops) {
        this(privateKey, listenPort, fwmark, peers, drops, List.of(), Map.of(), HandshakeStats.none());
    }
}
