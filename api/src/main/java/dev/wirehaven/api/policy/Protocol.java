package dev.wirehaven.api.policy;

/** The IP protocol of a flow that a client wants to open through the tunnel. */
public enum Protocol {
    /** TCP; the request names a destination port. */
    TCP(true),
    /** UDP; the request names a destination port. */
    UDP(true),
    /** ICMP or ICMPv6 (ping, path MTU discovery); no port. */
    ICMP(false),
    /** Any other IP protocol (GRE, ESP, SCTP, ...); no port. */
    OTHER(false);

    private final boolean hasPorts;

    Protocol(boolean hasPorts) {
        this.hasPorts = hasPorts;
    }

    /** True when flows of this protocol are told apart by port numbers. */
    public boolean hasPorts() {
        return hasPorts;
    }
}
