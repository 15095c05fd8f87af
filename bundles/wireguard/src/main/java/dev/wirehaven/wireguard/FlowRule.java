package dev.wirehaven.wireguard;

import java.util.Objects;

/**
 * One rule of a {@link PeerFilter}: flows toward {@link #destination()} with IP protocol
 * {@link #ipProtocol()} to a port in {@link #firstPort()}..{@link #lastPort()} are allowed or denied.
 * The destination is the address the flow was opened toward; an IPv4 destination matches only IPv4
 * flows and an IPv6 one only IPv6 flows. A rule with a port range matches only TCP and UDP flows
 * (whose first packet carries the ports).
 *
 * @param name the name that denied packets are counted under (see {@link PeerSnapshot#deniedByRule()})
 * @param allow true to allow matching flows, false to deny them
 * @param destination the destination network
 * @param ipProtocol the IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), or {@link #ANY_PROTOCOL}
 * @param firstPort the first destination port for TCP and UDP, 0 with {@code lastPort} 0 for every port
 * @param lastPort the last destination port, inclusive
 */
public record FlowRule(String name, boolean allow, Cidr destination, int ipProtocol, int firstPort, int lastPort) {

    /** {@link #ipProtocol()} of a rule that matches every protocol. */
    public static final int ANY_PROTOCOL = -1;

    /** Checks the ranges. */
    public FlowRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(destination, "destination");
        if (ipProtocol < ANY_PROTOCOL || ipProtocol > 255) {
            throw new IllegalArgumentException("an IP protocol is 0..255, or ANY_PROTOCOL: " + ipProtocol);
        }
        if (!(firstPort == 0 && lastPort == 0) && (firstPort < 1 || lastPort > 65535 || firstPort > lastPort)) {
            throw new IllegalArgumentException(
                    "a port range is 1..65535, first <= last: " + firstPort + "-" + lastPort);
        }
    }

    /** A rule for every protocol and port of {@code destination}. */
    public static FlowRule anyTo(String name, boolean allow, Cidr destination) {
        return new FlowRule(name, allow, destination, ANY_PROTOCOL, 0, 0);
    }
}
