package dev.wirehaven.wireguard;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One peer's configuration and counters at one moment.
 *
 * @param publicKey the peer's static public key
 * @param presharedKey the preshared key, or {@code null} when none is set
 * @param endpoint the current UDP endpoint, or {@code null} when unknown
 * @param persistentKeepaliveSeconds 0 when off
 * @param allowedIps the prefixes routed to this peer
 * @param lastHandshakeEpochNanos wall-clock time of the last completed handshake in nanoseconds
 *        since the Unix epoch, 0 when there has been none
 * @param rxBytes bytes received from the peer (whole UDP payloads, as wireguard-go counts)
 * @param txBytes bytes sent to the peer
 */
public record PeerSnapshot(
        Key publicKey,
        Key presharedKey,
        InetSocketAddress endpoint,
        int persistentKeepaliveSeconds,
        List<Cidr> allowedIps,
        long lastHandshakeEpochNanos,
        long rxBytes,
        long txBytes) {

    public PeerSnapshot {
        allowedIps = List.copyOf(allowedIps);
    }
}
