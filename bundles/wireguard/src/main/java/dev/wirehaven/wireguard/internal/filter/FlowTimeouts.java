package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.TCP;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.UDP;

import java.util.concurrent.TimeUnit;

/**
 * How long a flow stays open without packets. There is no TCP state machine: a TCP flow that was
 * answered is taken as established, one that was not (a SYN that nobody acknowledged, a scan) is
 * forgotten as soon as an unanswered connection attempt would be (Linux's SYN_SENT timeout).
 */
final class FlowTimeouts {

    private FlowTimeouts() {}

    /** A TCP flow that has seen packets both ways. */
    static final long TCP_ANSWERED = TimeUnit.MINUTES.toNanos(15);
    /** A TCP flow that has seen packets one way only. */
    static final long TCP_UNANSWERED = TimeUnit.MINUTES.toNanos(2);

    static final long UDP_FLOW = TimeUnit.MINUTES.toNanos(3);
    /** ICMP and ICMPv6: echo requests and replies come within seconds. */
    static final long ICMP_FLOW = TimeUnit.SECONDS.toNanos(30);

    static final long OTHER_FLOW = TimeUnit.MINUTES.toNanos(3);
    /**
     * The later fragments of a datagram whose first fragment passed: RFC 8200 §4.5 gives reassembly 60
     * seconds from the first fragment that arrives.
     */
    static final long FRAGMENTS = TimeUnit.SECONDS.toNanos(60);

    static long idleNanos(int protocol, boolean answered, boolean fragments) {
        if (fragments) {
            return FRAGMENTS;
        }
        return switch (protocol) {
            case TCP -> answered ? TCP_ANSWERED : TCP_UNANSWERED;
            case UDP -> UDP_FLOW;
            case ICMP, ICMPV6 -> ICMP_FLOW;
            default -> OTHER_FLOW;
        };
    }
}
