package dev.wirehaven.wireguard.internal.filter;

/**
 * The protocol numbers, extension headers and ICMP message types that flow tracking tells apart,
 * under the names of the RFCs that define them (numbers from IANA's "Assigned Internet Protocol
 * Numbers").
 */
final class IpProtocols {

    private IpProtocols() {}

    /** RFC 792: Internet Control Message Protocol. */
    static final int ICMP = 1;
    /** RFC 793: Transmission Control Protocol. */
    static final int TCP = 6;
    /** RFC 768: User Datagram Protocol. */
    static final int UDP = 17;
    /** RFC 4443: ICMP for IPv6. */
    static final int ICMPV6 = 58;

    // ---- RFC 8200 §4: IPv6 extension headers ----

    /** RFC 8200 §4.3: Hop-by-Hop Options; length in 8-octet units, not counting the first 8. */
    static final int IPV6_HOP_BY_HOP = 0;
    /** RFC 8200 §4.4: Routing; length as Hop-by-Hop. */
    static final int IPV6_ROUTING = 43;
    /** RFC 8200 §4.5: Fragment; always 8 octets. */
    static final int IPV6_FRAGMENT = 44;
    /** RFC 8200 §4.6: Destination Options; length as Hop-by-Hop. */
    static final int IPV6_DESTINATION_OPTIONS = 60;
    /** RFC 4302 §2.2: Authentication Header; Payload Len in 4-octet units, minus 2. */
    static final int AUTHENTICATION_HEADER = 51;

    // ---- RFC 792: ICMP message types ----

    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP_DESTINATION_UNREACHABLE = 3;
    static final int ICMP_ECHO = 8;
    static final int ICMP_TIME_EXCEEDED = 11;
    static final int ICMP_PARAMETER_PROBLEM = 12;

    // ---- RFC 4443 §2.1: ICMPv6 message types ----

    static final int ICMPV6_DESTINATION_UNREACHABLE = 1;
    static final int ICMPV6_PACKET_TOO_BIG = 2;
    static final int ICMPV6_TIME_EXCEEDED = 3;
    static final int ICMPV6_PARAMETER_PROBLEM = 4;
    static final int ICMPV6_ECHO_REQUEST = 128;
    static final int ICMPV6_ECHO_REPLY = 129;

    /**
     * RFC 792 and RFC 4443 §2.1: type, code and checksum, then 4 octets (identifier and sequence
     * number of an echo message; unused, MTU or pointer of an error); an error's invoking packet
     * follows.
     */
    static final int ICMP_HEADER_SIZE = 8;
    /** RFC 792: Identifier of an echo message, after type, code and checksum. */
    static final int ICMP_ECHO_IDENTIFIER_OFFSET = 4;
}
