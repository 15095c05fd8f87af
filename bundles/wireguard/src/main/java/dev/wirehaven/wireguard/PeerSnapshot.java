package dev.wirehaven.wireguard;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

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
 * @param owner who put the peer on the device ({@link DeviceConfigurator#ownedPeer}), or {@code null}
 *        for a peer without owner (the {@code wg} tool, static configuration)
 * @param rxPackets inner packets received from the peer and written to the TUN device
 * @param txPackets inner packets read from the TUN device and sent to the peer
 * @param filtered whether a {@link PeerFilter} is in force
 * @param openFlows the flows that the filter tracks now
 * @param deniedByRule packets that the filter dropped, by the name of the rule that denied them
 *        ({@link PeerFilter#DEFAULT_DENY} when none matched); only rules that denied something
 * @param deniedDestinations an estimate of the distinct destinations (protocol, address, port) that
 *        the filter denied since it was set or last replaced, 0 when it denied none; accurate to
 *        about 1% at 1,000, 4% at 20,000 and 8% at 30,000, saturating at 34,070;
 *        since 1.2
 * @param disallowedSourcePackets packets from this peer, authentic and in order, that were dropped
 *        because their inner source address is not one of the peer's allowed IPs (a client sending
 *        from an address it was not given; counted device-wide under
 *        {@link DropReason#DISALLOWED_SOURCE}), since the peer was added; since 1.2
 * @param allowedFlowsByRule new flows that the filter allowed, by the name of the rule that allowed
 *        them; only rules that allowed something; since 1.2
 * @param lostPackets packets of this peer that never arrived, from the gaps in the transport counters
 *        of its keypairs (a sender numbers its packets without gaps); it may go down by a few when a
 *        late packet fills a gap; since 1.2
 */
public record PeerSnapshot(
        Key publicKey,
        Key presharedKey,
        InetSocketAddress endpoint,
        int persistentKeepaliveSeconds,
        List<Cidr> allowedIps,
        long lastHandshakeEpochNanos,
        long rxBytes,
        long txBytes,
        String owner,
        long rxPackets,
        long txPackets,
        boolean filtered,
        int openFlows,
        Map<String, Long> deniedByRule,
        long deniedDestinations,
        long disallowedSourcePackets,
        Map<String, Long> allowedFlowsByRule,
        long lostPackets) {

    public PeerSnapshot {
        allowedIps = List.copyOf(allowedIps);
        deniedByRule = Map.copyOf(deniedByRule);
        allowedFlowsByRule = Map.copyOf(allowedFlowsByRule);
    }

    /** A peer without owner, filter or packet counts (the 1.0 shape). */
    public PeerSnapshot(
            Key publicKey,
            Key presharedKey,
            InetSocketAddress endpoint,
            int persistentKeepaliveSeconds,
            List<Cidr> allowedIps,
            long lastHandshakeEpochNanos,
            long rxBytes,
            long txBytes) {
        this(
                publicKey,
                presharedKey,
                endpoint,
                persistentKeepaliveSeconds,
                allowedIps,
                lastHandshakeEpochNanos,
                rxBytes,
                txBytes,
                null,
                0,
                0,
                false,
                0,
                Map.of(),
                0,
                0,
                Map.of(),
                0);
    }
}
