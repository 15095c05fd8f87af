package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.filter.IpProtocols.AUTHENTICATION_HEADER;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_DESTINATION_UNREACHABLE;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_ECHO_REPLY;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_ECHO_REQUEST;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_PACKET_TOO_BIG;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_PARAMETER_PROBLEM;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMPV6_TIME_EXCEEDED;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_DESTINATION_UNREACHABLE;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_ECHO;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_ECHO_IDENTIFIER_OFFSET;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_ECHO_REPLY;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_HEADER_SIZE;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_PARAMETER_PROBLEM;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.ICMP_TIME_EXCEEDED;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.IPV6_DESTINATION_OPTIONS;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.IPV6_FRAGMENT;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.IPV6_HOP_BY_HOP;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.IPV6_ROUTING;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.TCP;
import static dev.wirehaven.wireguard.internal.filter.IpProtocols.UDP;

/**
 * The flow of one inner IP packet as its headers tell it: the protocol, the two addresses and, for TCP
 * and UDP, the two ports. A scratch object that the packet path reuses for every packet of its buffer,
 * so that parsing allocates nothing; {@link FlowTable} and {@link FlowFilter} read its fields.
 *
 * <p>Besides TCP and UDP ports, ICMP echo messages get "ports" from their identifier, so that a reply
 * finds its request's flow: a request counts as (identifier, 0), a reply as (0, identifier). An ICMP
 * error takes the fields of the packet it reports (the invoking packet, RFC 792 and RFC 4443 §2.4),
 * which must have come from the error's recipient: the error belongs to that packet's flow.
 *
 * <p>Fragments: a fragment after the first has no upper-layer header and is described by its
 * datagram's Identification instead of ports ({@link #LATER_FRAGMENT}). IPv6 extension headers
 * (hop-by-hop, routing, fragment, destination options, authentication) are walked to the upper-layer
 * header; any other next header (ESP, "no next header", one we do not know) is taken as the protocol,
 * without ports, and so is the next header after {@link #MAX_EXTENSION_HEADERS} extension headers.
 */
public final class PacketFlow {

    /** A packet with its upper-layer header: unfragmented, or atomic. */
    static final int WHOLE = 0;
    /** The first fragment of a datagram (offset 0, more to come): it has the ports. */
    static final int FIRST_FRAGMENT = 1;
    /** A later fragment: no upper-layer header; {@link #fragmentId} stands for the ports. */
    static final int LATER_FRAGMENT = 2;
    /** An ICMP or ICMPv6 error; the fields describe the invoking packet. */
    static final int ICMP_ERROR = 3;

    /** RFC 791 §3.1: the header without options; IHL counts 4-octet words. */
    static final int IPV4_HEADER_SIZE = 20;

    private static final int IPV4_IHL_UNIT = 4;
    /** RFC 791 §3.1: Total Length. */
    private static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    /** RFC 791 §3.1: Identification, which the fragments of one datagram share. */
    private static final int IPV4_IDENTIFICATION_OFFSET = 4;
    /** RFC 791 §3.1: Flags (3 bits) and Fragment Offset (13 bits, in 8-octet units). */
    private static final int IPV4_FLAGS_OFFSET = 6;

    private static final int IPV4_MORE_FRAGMENTS = 0x2000;
    private static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;
    /** RFC 791 §3.1: Protocol. */
    private static final int IPV4_PROTOCOL_OFFSET = 9;

    private static final int IPV4_SOURCE_ADDRESS_OFFSET = 12;
    private static final int IPV4_DESTINATION_ADDRESS_OFFSET = 16;

    /** RFC 8200 §3: the fixed header. */
    static final int IPV6_HEADER_SIZE = 40;

    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int IPV6_NEXT_HEADER_OFFSET = 6;
    private static final int IPV6_SOURCE_ADDRESS_OFFSET = 8;
    private static final int IPV6_DESTINATION_ADDRESS_OFFSET = 24;
    /** RFC 8200 §4.5: Next Header, Reserved, Fragment Offset (13 bits) | Res | M, Identification. */
    private static final int IPV6_FRAGMENT_HEADER_SIZE = 8;

    private static final int IPV6_FRAGMENT_OFFSET_OFFSET = 2;
    private static final int IPV6_FRAGMENT_IDENTIFICATION_OFFSET = 4;
    private static final int IPV6_MORE_FRAGMENTS = 1;
    private static final int IPV6_EXTENSION_LENGTH_UNIT = 8;
    private static final int AUTHENTICATION_HEADER_LENGTH_UNIT = 4;
    /** Extension headers walked at most; real packets have one or two. */
    static final int MAX_EXTENSION_HEADERS = 8;
    /** RFC 793 §3.1 and RFC 768: Source Port and Destination Port, 16 bits each, open both headers. */
    private static final int PORTS_SIZE = 4;

    int kind;
    boolean v6;
    int protocol;
    // addresses as left-aligned 128-bit values (an IPv4 address is the top 32 bits of hi)
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    // TCP or UDP ports, or an ICMP echo identifier (see the class comment); 0 without
    int srcPort;
    int dstPort;
    /** Whether {@link #dstPort} is a TCP or UDP port, which rules with port ranges match. */
    boolean hasPorts;
    /** The Identification of a fragmented datagram (16 bits in IPv4, 32 in IPv6). */
    int fragmentId;
    /** Set by {@link FlowTable#find}: the packet goes from the flow's responder to its initiator. */
    boolean reverse;

    /**
     * Reads the flow of the IPv4 or IPv6 packet at {@code b[off..off+len)}. False when the packet is
     * not one whose flow can be told: a header cut short or inconsistent, an extension header chain
     * that runs past the packet, an ICMP error whose invoking packet is unreadable or was not sent by
     * the error's recipient. A TCP or UDP header too short for its ports leaves the packet without
     * ports. Never throws, whatever the bytes.
     */
    public boolean parse(byte[] b, int off, int len) {
        kind = WHOLE;
        protocol = 0;
        srcPort = 0;
        dstPort = 0;
        hasPorts = false;
        fragmentId = 0;
        reverse = false;
        if (off < 0 || len < 0 || off > b.length - len) {
            return false;
        }
        return ip(b, off, off + len, false);
    }

    private boolean ip(byte[] b, int off, int end, boolean invoking) {
        if (end - off < 1) {
            return false;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            return ipv4(b, off, end, invoking);
        }
        return version == 6 && ipv6(b, off, end, invoking);
    }

    /** An invoking packet is cut short by design (RFC 792: header and 64 bits), so its lengths are not checked. */
    private boolean ipv4(byte[] b, int off, int end, boolean invoking) {
        if (end - off < IPV4_HEADER_SIZE) {
            return false;
        }
        int ihl = (b[off] & 0x0f) * IPV4_IHL_UNIT;
        int total = u16(b, off + IPV4_TOTAL_LENGTH_OFFSET);
        if (ihl < IPV4_HEADER_SIZE || ihl > end - off || total < ihl) {
            return false;
        }
        int stop = invoking ? end : Math.min(end, off + total);
        v6 = false;
        protocol = b[off + IPV4_PROTOCOL_OFFSET] & 0xff;
        srcHi = (u32(b, off + IPV4_SOURCE_ADDRESS_OFFSET) & 0xffffffffL) << 32;
        srcLo = 0;
        dstHi = (u32(b, off + IPV4_DESTINATION_ADDRESS_OFFSET) & 0xffffffffL) << 32;
        dstLo = 0;
        int flags = u16(b, off + IPV4_FLAGS_OFFSET);
        if ((flags & IPV4_FRAGMENT_OFFSET_MASK) != 0) {
            if (!invoking) {
                kind = LATER_FRAGMENT;
                fragmentId = u16(b, off + IPV4_IDENTIFICATION_OFFSET);
            }
            return true;
        }
        if (!invoking && (flags & IPV4_MORE_FRAGMENTS) != 0) {
            kind = FIRST_FRAGMENT;
            fragmentId = u16(b, off + IPV4_IDENTIFICATION_OFFSET);
        }
        return upperLayer(b, off + ihl, stop, invoking);
    }

    private boolean ipv6(byte[] b, int off, int end, boolean invoking) {
        if (end - off < IPV6_HEADER_SIZE) {
            return false;
        }
        int stop = invoking ? end : Math.min(end, off + IPV6_HEADER_SIZE + u16(b, off + IPV6_PAYLOAD_LENGTH_OFFSET));
        v6 = true;
        srcHi = u64(b, off + IPV6_SOURCE_ADDRESS_OFFSET);
        srcLo = u64(b, off + IPV6_SOURCE_ADDRESS_OFFSET + 8);
        dstHi = u64(b, off + IPV6_DESTINATION_ADDRESS_OFFSET);
        dstLo = u64(b, off + IPV6_DESTINATION_ADDRESS_OFFSET + 8);
        int next = b[off + IPV6_NEXT_HEADER_OFFSET] & 0xff;
        int pos = off + IPV6_HEADER_SIZE;
        for (int walked = 0; ; walked++) {
            boolean extension = next == IPV6_FRAGMENT
                    || next == IPV6_HOP_BY_HOP
                    || next == IPV6_ROUTING
                    || next == IPV6_DESTINATION_OPTIONS
                    || next == AUTHENTICATION_HEADER;
            if (!extension) {
                protocol = next;
                return upperLayer(b, pos, stop, invoking);
            }
            if (walked == MAX_EXTENSION_HEADERS) {
                protocol = next; // a longer chain: judged by this next header, without ports
                return true;
            }
            if (next == IPV6_FRAGMENT) {
                if (stop - pos < IPV6_FRAGMENT_HEADER_SIZE) {
                    return false;
                }
                int offsetAndFlags = u16(b, pos + IPV6_FRAGMENT_OFFSET_OFFSET);
                int id = u32(b, pos + IPV6_FRAGMENT_IDENTIFICATION_OFFSET);
                next = b[pos] & 0xff;
                pos += IPV6_FRAGMENT_HEADER_SIZE;
                if (offsetAndFlags >>> 3 != 0) {
                    protocol = next;
                    if (!invoking) {
                        kind = LATER_FRAGMENT;
                        fragmentId = id;
                    }
                    return true;
                }
                if (!invoking && (offsetAndFlags & IPV6_MORE_FRAGMENTS) != 0) {
                    kind = FIRST_FRAGMENT;
                    fragmentId = id;
                }
            } else {
                if (stop - pos < 2) {
                    return false;
                }
                int units = (b[pos + 1] & 0xff);
                int size = next == AUTHENTICATION_HEADER
                        ? (units + 2) * AUTHENTICATION_HEADER_LENGTH_UNIT
                        : (units + 1) * IPV6_EXTENSION_LENGTH_UNIT;
                next = b[pos] & 0xff;
                if (stop - pos < size) {
                    return false;
                }
                pos += size;
            }
        }
    }

    private boolean upperLayer(byte[] b, int pos, int end, boolean invoking) {
        if (protocol == TCP || protocol == UDP) {
            if (end - pos >= PORTS_SIZE) {
                srcPort = u16(b, pos);
                dstPort = u16(b, pos + 2);
                hasPorts = true;
            }
            return true;
        }
        if (protocol == (v6 ? ICMPV6 : ICMP)) {
            return icmp(b, pos, end, invoking);
        }
        return true;
    }

    private boolean icmp(byte[] b, int pos, int end, boolean invoking) {
        if (end - pos < ICMP_HEADER_SIZE) {
            return true; // too short to tell its type: a protocol without ports
        }
        int type = b[pos] & 0xff;
        int id = u16(b, pos + ICMP_ECHO_IDENTIFIER_OFFSET);
        if (type == (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO)) {
            srcPort = id;
        } else if (type == (v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHO_REPLY)) {
            dstPort = id;
        } else if (!invoking && isError(type)) {
            return invokingPacket(b, pos + ICMP_HEADER_SIZE, end);
        }
        return true;
    }

    private boolean isError(int type) {
        if (v6) {
            return type == ICMPV6_DESTINATION_UNREACHABLE
                    || type == ICMPV6_PACKET_TOO_BIG
                    || type == ICMPV6_TIME_EXCEEDED
                    || type == ICMPV6_PARAMETER_PROBLEM;
        }
        return type == ICMP_DESTINATION_UNREACHABLE || type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETER_PROBLEM;
    }

    /** The error's fields become the invoking packet's, which must have left from the error's destination. */
    private boolean invokingPacket(byte[] b, int from, int end) {
        boolean outerV6 = v6;
        long toHi = dstHi;
        long toLo = dstLo;
        kind = ICMP_ERROR;
        if (!ip(b, from, end, true)) {
            return false;
        }
        return v6 == outerV6 && srcHi == toHi && srcLo == toLo;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int u32(byte[] b, int i) {
        return u16(b, i) << 16 | u16(b, i + 2);
    }

    private static long u64(byte[] b, int i) {
        return (long) u32(b, i) << 32 | (u32(b, i + 4) & 0xffffffffL);
    }
}
