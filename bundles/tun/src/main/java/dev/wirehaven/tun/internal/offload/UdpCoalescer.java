package dev.wirehaven.tun.internal.offload;

/**
 * The UDP rules of the write side's software GRO ({@link TcpCoalescer} keeps the batch and calls
 * these when the kernel took USO): consecutive datagrams of a flow become one super-packet that the
 * kernel takes in a single write with gso_type UDP_L4, and splits again where it has to (for a
 * local socket without UDP_GRO, or a device without USO) as __udp_gso_segment does.
 *
 * <p>A datagram joins the open group of its flow (same IP version, addresses and ports) when its
 * payload is the group's segment size or a shorter last one, its IP header is the same but for total
 * length, identification and checksum (IPv4 TOS, TTL, DF and options the same, not a fragment;
 * IPv6 class, label, hop limit, no extension header), and the group stays within 64 KiB. A short
 * payload closes the group. Any other datagram of the flow (larger, empty, or with other IP header
 * fields) closes the flow's open group and goes out on its own or starts the next group, so that
 * nothing overtakes anything of its own flow. Only whole datagrams whose UDP length matches the IP
 * length are merged; one whose does not goes alone and ends its flow's group, like an empty one.
 *
 * <p>The merged packet carries VIRTIO_NET_HDR_F_NEEDS_CSUM with the pseudo-header sum in the UDP
 * checksum field, as the kernel's own UDP_SEGMENT sends do; like the TCP merge it does not verify the
 * inputs' checksums (the packets were authenticated before they reached the TUN).
 *
 * <p>State per packet of the batch, by index; fixed-size arrays, no allocation after construction.
 */
final class UdpCoalescer {

    private static final int HEADROOM = VirtioNetHeader.SIZE;

    // per packet, by index in the batch
    private final int[] ipHeaderLength; // IpHeaders.NONE when the packet is not a UDP datagram we can parse
    private final boolean[] candidate;
    // per group, indexed by its head
    private final int[] segmentSize;
    private final int[] totalLength;
    private final boolean[] closed;
    private final int[] open; // heads of the groups that may still grow
    private int openCount;

    private final VirtioNetHeader header = new VirtioNetHeader();

    UdpCoalescer(int maxPackets) {
        this.ipHeaderLength = new int[maxPackets];
        this.candidate = new boolean[maxPackets];
        this.segmentSize = new int[maxPackets];
        this.totalLength = new int[maxPackets];
        this.closed = new boolean[maxPackets];
        this.open = new int[maxPackets];
    }

    /** Starts the grouping of a batch. */
    void reset() {
        openCount = 0;
    }

    /**
     * Takes packet {@code i} of the batch ({@code arena[start[i], start[i] + length[i])}); the packets
     * come in batch order, after {@link #reset()}.
     *
     * @return the head of the group that the packet joins, or -1 when it joins none (it is a group's
     *     first packet, goes out alone, or is not UDP)
     */
    int join(byte[] arena, int[] start, int[] length, int i) {
        parse(arena, start[i], length[i], i);
        if (ipHeaderLength[i] == IpHeaders.NONE) {
            return -1;
        }
        int g = openGroupOfFlow(arena, start, i);
        if (g >= 0 && candidate[i] && canAppend(arena, start, length, g, i)) {
            int payload = payload(length, i);
            totalLength[g] += payload;
            if (payload < segmentSize[g]) {
                close(g);
            }
            return g;
        }
        if (g >= 0) {
            close(g); // nothing of this flow may join a group that this datagram follows
        }
        if (candidate[i]) {
            segmentSize[i] = payload(length, i);
            totalLength[i] = length[i];
            closed[i] = false;
            open[openCount++] = i;
        }
        return -1;
    }

    /** A datagram of a known flow is a candidate when its UDP length is right and it has a payload. */
    private void parse(byte[] p, int o, int n, int i) {
        int ihl = IpHeaders.headerLength(p, o, n, UdpHeader.PROTOCOL_NUMBER);
        if (ihl != IpHeaders.NONE && n - ihl < UdpHeader.HEADER_LENGTH) {
            ihl = IpHeaders.NONE;
        }
        ipHeaderLength[i] = ihl;
        candidate[i] = ihl != IpHeaders.NONE
                && n > ihl + UdpHeader.HEADER_LENGTH
                && Bytes.getShort(p, o + ihl + UdpHeader.LENGTH) == n - ihl;
    }

    private int payload(int[] length, int i) {
        return length[i] - ipHeaderLength[i] - UdpHeader.HEADER_LENGTH;
    }

    private int openGroupOfFlow(byte[] arena, int[] start, int i) {
        for (int k = 0; k < openCount; k++) {
            int g = open[k];
            if (IpHeaders.sameFlow(arena, start[g], ipHeaderLength[g], start[i], ipHeaderLength[i])) {
                return g;
            }
        }
        return -1;
    }

    private boolean canAppend(byte[] arena, int[] start, int[] length, int g, int i) {
        int payload = payload(length, i);
        return !closed[g]
                && ipHeaderLength[i] == ipHeaderLength[g]
                && payload <= segmentSize[g]
                && totalLength[g] + payload <= TcpCoalescer.MAX_PACKET
                && IpHeaders.mergeable(arena, start[g], start[i], ipHeaderLength[g]);
    }

    private void close(int g) {
        closed[g] = true;
        for (int k = 0; k < openCount; k++) {
            if (open[k] == g) {
                open[k] = open[--openCount];
                return;
            }
        }
    }

    /**
     * Builds group {@code g} (its members linked by {@code nextMember}, -1 at the end) as virtio
     * header + super-packet in {@code merged}; returns its length.
     */
    int merge(int g, byte[] arena, int[] start, int[] length, int[] nextMember, byte[] merged) {
        int ihl = ipHeaderLength[g];
        int headers = ihl + UdpHeader.HEADER_LENGTH;
        int o = HEADROOM;
        System.arraycopy(arena, start[g], merged, o, headers);
        int at = o + headers;
        for (int m = g; m >= 0; m = nextMember[m]) {
            int payload = payload(length, m);
            System.arraycopy(arena, start[m] + headers, merged, at, payload);
            at += payload;
        }
        int total = at - o;
        int udp = o + ihl;
        Bytes.putShort(merged, udp + UdpHeader.LENGTH, total - ihl);
        Bytes.putShort(
                merged,
                udp + UdpHeader.CHECKSUM,
                IpHeaders.setLengths(merged, o, ihl, total, UdpHeader.PROTOCOL_NUMBER));
        header.set(
                VirtioNetHeader.F_NEEDS_CSUM,
                VirtioNetHeader.GSO_UDP_L4,
                headers,
                segmentSize[g],
                ihl,
                UdpHeader.CHECKSUM);
        header.encode(merged, 0);
        return HEADROOM + total;
    }
}
