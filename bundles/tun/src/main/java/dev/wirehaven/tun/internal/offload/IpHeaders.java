package dev.wirehaven.tun.internal.offload;

/**
 * The IP-layer rules that the TCP and UDP offloads share. Write side (merging): which packets are
 * whole datagrams of a protocol, which belong to one flow, which IP headers a merged packet may stand
 * for, and the IP lengths and pseudo-header sum of the merged packet. Read side (splitting): which
 * super-packets can be split, and each segment's IP lengths.
 */
final class IpHeaders {

    /** Not a whole IP datagram of the protocol asked about. */
    static final int NONE = -1;

    private IpHeaders() {}

    static boolean isIpv4(byte[] p, int o) {
        return (p[o] & 0xff) >>> 4 == Ipv4Header.VERSION;
    }

    /**
     * The IP header length of {@code p[o, o + n)} if it is one whole datagram of {@code protocol}:
     * IPv4 with a valid header checksum, a total length of {@code n} and no fragment; IPv6 with a
     * payload length of {@code n - 40} and {@code protocol} as the next header (no extension header).
     *
     * @return the header length, or {@link #NONE}
     */
    static int headerLength(byte[] p, int o, int n, int protocol) {
        if (n >= Ipv4Header.MIN_HEADER_LENGTH && isIpv4(p, o)) {
            int ihl = Ipv4Header.headerLength(p, o);
            if (ihl < Ipv4Header.MIN_HEADER_LENGTH
                    || ihl > n
                    || Bytes.getShort(p, o + Ipv4Header.TOTAL_LENGTH) != n
                    || (p[o + Ipv4Header.PROTOCOL] & 0xff) != protocol
                    || (Bytes.getShort(p, o + Ipv4Header.FLAGS_FRAGMENT_OFFSET) & Ipv4Header.MORE_FRAGMENTS_AND_OFFSET)
                            != 0
                    || Checksums.checksum(p, o, ihl) != 0) {
                return NONE;
            }
            return ihl;
        }
        if (n >= Ipv6Header.HEADER_LENGTH && (p[o] & 0xff) >>> 4 == Ipv6Header.VERSION) {
            if (Bytes.getShort(p, o + Ipv6Header.PAYLOAD_LENGTH) + Ipv6Header.HEADER_LENGTH != n
                    || (p[o + Ipv6Header.NEXT_HEADER] & 0xff) != protocol) {
                return NONE;
            }
            return Ipv6Header.HEADER_LENGTH;
        }
        return NONE;
    }

    /**
     * Whether two datagrams of one protocol (at {@code a} and {@code b}, their transport headers at
     * {@code a + ihlA} and {@code b + ihlB}) have the same IP version, addresses and ports.
     */
    static boolean sameFlow(byte[] p, int a, int ihlA, int b, int ihlB) {
        if ((p[a] & 0xf0) != (p[b] & 0xf0)) {
            return false;
        }
        boolean v4 = isIpv4(p, a);
        int addresses = v4 ? Ipv4Header.SOURCE_ADDRESS : Ipv6Header.SOURCE_ADDRESS;
        int addressBytes = 2 * (v4 ? Ipv4Header.ADDRESS_LENGTH : Ipv6Header.ADDRESS_LENGTH);
        return Bytes.equal(p, a + addresses, b + addresses, addressBytes)
                && Bytes.equal(p, a + ihlA, b + ihlB, 4); // source and destination port, TCP and UDP alike
    }

    /**
     * Whether the IP header at {@code b} may be merged into the one at {@code a} (same flow, same
     * header length {@code ihl}): equal but for what the merged packet sets itself. IPv4: version/IHL,
     * TOS, flags (DF) and fragment offset, TTL, protocol and options equal (total length,
     * identification and checksum may differ); IPv6: traffic class, flow label, next header and hop
     * limit equal.
     */
    static boolean mergeable(byte[] p, int a, int b, int ihl) {
        if (isIpv4(p, a)) {
            return Bytes.equal(p, a, b, 2)
                    && Bytes.equal(p, a + Ipv4Header.FLAGS_FRAGMENT_OFFSET, b + Ipv4Header.FLAGS_FRAGMENT_OFFSET, 4)
                    && Bytes.equal(
                            p,
                            a + Ipv4Header.MIN_HEADER_LENGTH,
                            b + Ipv4Header.MIN_HEADER_LENGTH,
                            ihl - Ipv4Header.MIN_HEADER_LENGTH);
        }
        return Bytes.equal(p, a, b, Ipv6Header.PAYLOAD_LENGTH)
                && Bytes.equal(p, a + Ipv6Header.NEXT_HEADER, b + Ipv6Header.NEXT_HEADER, 2);
    }

    /**
     * The IP header length of the super-packet {@code p[0, length)} if it can be split: IPv4 (when
     * {@code version} is 4) with a header of at least 20 bytes and no fragment bits, or IPv6 (6) with
     * {@code protocol} as the next header (extension headers are not supported); and its IP length
     * within {@code length}.
     *
     * @return the header length, or {@link #NONE}
     */
    static int superPacketHeaderLength(byte[] p, int length, int version, int protocol) {
        if (length < 1 || (p[0] & 0xff) >>> 4 != version) {
            return NONE;
        }
        int ihl;
        if (version == Ipv4Header.VERSION) {
            if (length < Ipv4Header.MIN_HEADER_LENGTH
                    || (p[Ipv4Header.PROTOCOL] & 0xff) != protocol
                    || (Bytes.getShort(p, Ipv4Header.FLAGS_FRAGMENT_OFFSET) & Ipv4Header.MORE_FRAGMENTS_AND_OFFSET)
                            != 0) {
                return NONE;
            }
            ihl = Ipv4Header.headerLength(p, 0);
            if (ihl < Ipv4Header.MIN_HEADER_LENGTH) {
                return NONE;
            }
        } else if (version == Ipv6Header.VERSION) {
            if (length < Ipv6Header.HEADER_LENGTH || (p[Ipv6Header.NEXT_HEADER] & 0xff) != protocol) {
                return NONE;
            }
            ihl = Ipv6Header.HEADER_LENGTH;
        } else {
            return NONE;
        }
        return ipLength(p) > length ? NONE : ihl;
    }

    /** The whole IP length of the datagram at {@code p[0]}: IPv4 total length, IPv6 40 + payload length. */
    static int ipLength(byte[] p) {
        return isIpv4(p, 0)
                ? Bytes.getShort(p, Ipv4Header.TOTAL_LENGTH)
                : Ipv6Header.HEADER_LENGTH + Bytes.getShort(p, Ipv6Header.PAYLOAD_LENGTH);
    }

    /**
     * Sets one segment's IP header at {@code b[o, o + total)}: for IPv4 the identification, then the
     * lengths and header checksum ({@link #setLengths}); returns the folded pseudo-header sum of its
     * transport part, from which the segment's full transport checksum is added up.
     */
    static int setSegmentLengths(byte[] b, int o, int ihl, int total, int identification, int protocol) {
        if (isIpv4(b, o)) {
            Bytes.putShort(b, o + Ipv4Header.IDENTIFICATION, identification & 0xffff);
        }
        return setLengths(b, o, ihl, total, protocol);
    }

    /**
     * Sets the length of the merged packet at {@code b[o, o + total)} in its IP header (and the IPv4
     * header checksum) and returns the folded pseudo-header sum of its transport part, the value
     * that goes into the transport checksum field with VIRTIO_NET_HDR_F_NEEDS_CSUM (CHECKSUM_PARTIAL:
     * the kernel, or the segmentation of a forwarded packet, adds the header and payload).
     */
    static int setLengths(byte[] b, int o, int ihl, int total, int protocol) {
        long pseudo;
        if (isIpv4(b, o)) {
            Bytes.putShort(b, o + Ipv4Header.TOTAL_LENGTH, total);
            Ipv4Header.updateHeaderChecksum(b, o, ihl);
            pseudo = Checksums.pseudoHeader(
                    b, o + Ipv4Header.SOURCE_ADDRESS, Ipv4Header.ADDRESS_LENGTH, protocol, total - ihl);
        } else {
            Bytes.putShort(b, o + Ipv6Header.PAYLOAD_LENGTH, total - Ipv6Header.HEADER_LENGTH);
            pseudo = Checksums.pseudoHeader(
                    b, o + Ipv6Header.SOURCE_ADDRESS, Ipv6Header.ADDRESS_LENGTH, protocol, total - ihl);
        }
        return Checksums.fold(pseudo);
    }
}
