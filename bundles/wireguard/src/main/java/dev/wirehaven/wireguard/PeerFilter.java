package dev.wirehaven.wireguard;

import java.util.List;
import java.util.Objects;

/**
 * What a peer may reach through the device, checked per flow on the packet path (connection
 * tracking): a packet that belongs to a flow the filter allowed passes in both directions; the first
 * packet of a new flow is judged by the rules. Without a filter a peer is limited by its allowed IPs
 * only, as in WireGuard.
 *
 * <p>The rules come in stages (one per policy engine): in each stage the first rule that matches
 * gives that stage's verdict; a flow is allowed when no stage denies it and at least one allows it,
 * and denied otherwise (so that a filter without rules lets nothing through). A denied packet is
 * dropped and counted under the rule that denied it, or under {@link #DEFAULT_DENY} when no rule
 * matched.
 *
 * <p>A flow is a protocol, two addresses and, for TCP and UDP, two ports (ICMP echo requests and
 * replies pair up by their identifier); it stays open while packets cross within its idle timeout
 * (TCP 15 minutes once answered, 2 minutes before; UDP and other protocols 3 minutes; ICMP 30
 * seconds). ICMP errors pass when they concern an open flow, and only then. IPv4 and IPv6 fragments
 * after the first pass when the first fragment of their datagram passed. A peer has at most
 * {@link DeviceOptions#flowsPerPeer()} open flows: when they are all in use, a new flow replaces the
 * oldest flow that never got an answer, or is denied under the name {@code flow-table-full}.
 *
 * @param fromPeer the stages for flows that the peer opens (packets it sends into the network)
 * @param toPeer the stages for flows that others open toward the peer (a site-to-site branch's hosts);
 *        no stages means only replies reach the peer
 */
public record PeerFilter(List<List<FlowRule>> fromPeer, List<List<FlowRule>> toPeer) {

    /** The counter name of packets that no rule allowed. */
    public static final String DEFAULT_DENY = "default-deny";

    /** Copies the stages. */
    public PeerFilter {
        fromPeer = copy(fromPeer);
        toPeer = copy(toPeer);
    }

    private static List<List<FlowRule>> copy(List<List<FlowRule>> stages) {
        return Objects.requireNonNull(stages, "stages").stream()
                .map(List::copyOf)
                .toList();
    }
}
