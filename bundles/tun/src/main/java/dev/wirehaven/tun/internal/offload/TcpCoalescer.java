package dev.wirehaven.tun.internal.offload;

import java.io.IOException;
import java.util.Arrays;

/**
 * Software GRO for the write side: one thread's batch of packets to write, in which consecutive TCP
 * segments of a flow are merged into one super-packet that the kernel takes in a single write with
 * gso_type TCPV4/TCPV6 (as wireguard-go's tcpGRO does). Given USO (a kernel that took TUN_F_USO4/6),
 * consecutive UDP datagrams of a flow are merged as well, by the rules of {@link UdpCoalescer}; the
 * batch, its order and the writing are the same for both.
 *
 * <p>A packet joins the open group of its flow (same IP version, addresses and ports) when it
 * continues it exactly: the next sequence number, the same acknowledgment number and window, the
 * same TCP options byte for byte (timestamps therefore equal), ACK alone or ACK|PSH, a payload of
 * the group's segment size or a shorter last one, the IPv4 header the same but for total length,
 * identification and checksum (options, TOS, TTL, DF the same, not a fragment; IPv6: class, label,
 * hop limit, no extension header), and at most 64 KiB in all. PSH or a short payload closes the
 * group. Any other packet of the flow (SYN, FIN, RST, URG, ECE/CWR, no payload, a gap) closes the
 * flow's open group and goes out on its own, so nothing overtakes anything of its own flow: the
 * output keeps the order of each group's first packet, and a group only grows while it is the
 * newest item of its flow. The IP-layer rules are {@link IpHeaders}.
 *
 * <p>The merged packet carries VIRTIO_NET_HDR_F_NEEDS_CSUM with the pseudo-header sum in the TCP
 * checksum field (CHECKSUM_PARTIAL), like the kernel's own GSO packets. The inputs' TCP checksums
 * are not verified: a merged packet is not checked again by the receiving stack, which is sound
 * only because the packets were authenticated before they reached the TUN (the WireGuard AEAD).
 *
 * <p>Fixed-size arrays, no allocation after construction. Not thread-safe: one per writer thread.
 */
public final class TcpCoalescer {

    /** Where a flush sends each packet: {@code b[off, off + len)} is a virtio header and an IP packet. */
    public interface Output {
        /**
         * @return false if the kernel refused the packet as invalid (EINVAL), true if it was written
         * @throws IOException for anything else, which ends the flush
         */
        boolean write(byte[] b, int off, int len) throws IOException;
    }

    /** The largest IP packet there is (16-bit total length); also the cap of a super-packet. */
    public static final int MAX_PACKET = 65535;

    private static final int HEADROOM = VirtioNetHeader.SIZE;
    private static final int NOT_TCP = IpHeaders.NONE;

    private final OffloadCounters counters;
    /** The UDP rules, null without USO (UDP datagrams are then written one by one). */
    private final UdpCoalescer udp;

    private final byte[] arena;
    private final int maxPackets;
    private int used;
    private int count;

    // per packet, by index in the batch
    private final int[] start;
    private final int[] length;
    private final int[] ipHeaderLength; // NOT_TCP when the packet is not a TCP segment we can parse
    private final int[] tcpHeaderLength;
    private final boolean[] candidate;
    private final int[] head; // the first packet of the packet's group
    private final int[] nextMember; // the next packet of the group, -1 at its end
    // per group, indexed by its head
    private final int[] lastMember;
    private final int[] segmentSize;
    private final int[] totalLength;
    private final long[] nextSequence;
    private final boolean[] closed;
    private final int[] members;
    private final int[] open; // heads of the groups that may still grow
    private int openCount;

    private final byte[] merged = new byte[HEADROOM + MAX_PACKET];
    private final VirtioNetHeader header = new VirtioNetHeader();

    /** A batch that merges TCP segments only. */
    public TcpCoalescer(int maxPackets, int arenaBytes, OffloadCounters counters) {
        this(maxPackets, arenaBytes, counters, false);
    }

    /**
     * @param maxPackets packets a batch holds before {@link #add} asks for a flush
     * @param arenaBytes bytes a batch holds; at least one largest packet
     * @param udp whether to merge UDP datagrams too: only when the kernel took USO, as one before
     *     6.2 refuses GSO_UDP_L4 writes
     */
    public TcpCoalescer(int maxPackets, int arenaBytes, OffloadCounters counters, boolean udp) {
        if (maxPackets < 1 || arenaBytes < HEADROOM + MAX_PACKET) {
            throw new IllegalArgumentException("a batch must hold at least one packet of " + MAX_PACKET + " bytes");
        }
        this.counters = counters;
        this.maxPackets = maxPackets;
        this.arena = new byte[arenaBytes];
        this.start = new int[maxPackets];
        this.length = new int[maxPackets];
        this.ipHeaderLength = new int[maxPackets];
        this.tcpHeaderLength = new int[maxPackets];
        this.candidate = new boolean[maxPackets];
        this.head = new int[maxPackets];
        this.nextMember = new int[maxPackets];
        this.lastMember = new int[maxPackets];
        this.segmentSize = new int[maxPackets];
        this.totalLength = new int[maxPackets];
        this.nextSequence = new long[maxPackets];
        this.closed = new boolean[maxPackets];
        this.members = new int[maxPackets];
        this.open = new int[maxPackets];
        this.udp = udp ? new UdpCoalescer(maxPackets) : null;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * Copies the packet into the batch.
     *
     * @return false when the batch is full: flush, then add again
     */
    public boolean add(byte[] buf, int off, int len) {
        if (len > MAX_PACKET) {
            throw new IllegalArgumentException("a packet of " + len + " bytes; the limit is " + MAX_PACKET);
        }
        if (count == maxPackets || used + HEADROOM + len > arena.length) {
            return false;
        }
        start[count] = used + HEADROOM;
        length[count] = len;
        System.arraycopy(buf, off, arena, used + HEADROOM, len);
        used += HEADROOM + len;
        count++;
        return true;
    }

    /** Forgets the batch without writing it. */
    public void clear() {
        count = 0;
        used = 0;
        openCount = 0;
    }

    /**
     * Writes the batch to {@code out}, merged where it can, and empties it (also when {@code out}
     * throws). A refused super-packet is written again as its separate packets. Packets the kernel
     * refused are counted and, after the rest of the batch is out, reported in one exception.
     */
    public void flush(Output out) throws IOException {
        try {
            group();
            int refused = 0;
            for (int i = 0; i < count; i++) {
                if (head[i] != i) {
                    continue; // written with its group
                }
                if (members[i] == 1) {
                    refused += writeAlone(out, i);
                    continue;
                }
                // only TCP and UDP packets make groups
                boolean tcp = ipHeaderLength[i] != NOT_TCP;
                OffloadCounters.Protocol protocol = tcp ? OffloadCounters.Protocol.TCP : OffloadCounters.Protocol.UDP;
                int len = tcp ? merge(i) : udp.merge(i, arena, start, length, nextMember, merged);
                if (out.write(merged, 0, len)) {
                    counters.coalesced(protocol, members[i]);
                } else {
                    counters.coalescedRefused(protocol);
                    for (int m = i; m >= 0; m = nextMember[m]) {
                        refused += writeAlone(out, m);
                    }
                }
            }
            if (refused > 0) {
                throw new IOException(refused + " packets of a batch were refused by the kernel (EINVAL): "
                        + "it accepts only whole IPv4 or IPv6 packets");
            }
        } finally {
            clear();
        }
    }

    private int writeAlone(Output out, int i) throws IOException {
        VirtioNetHeader.encodeNone(arena, start[i] - HEADROOM);
        if (out.write(arena, start[i] - HEADROOM, HEADROOM + length[i])) {
            return 0;
        }
        counters.packetRefused();
        return 1;
    }

    // ---- grouping ----

    private void group() {
        openCount = 0;
        if (udp != null) {
            udp.reset();
        }
        for (int i = 0; i < count; i++) {
            head[i] = i;
            nextMember[i] = -1;
            lastMember[i] = i;
            members[i] = 1;
            parse(i);
            if (ipHeaderLength[i] == NOT_TCP) {
                int g = udp == null ? -1 : udp.join(arena, start, length, i);
                if (g >= 0) {
                    link(g, i);
                }
                continue;
            }
            int g = openGroupOfFlow(i);
            if (g >= 0 && candidate[i] && canAppend(g, i)) {
                append(g, i);
                continue;
            }
            if (g >= 0) {
                closeGroup(g); // nothing of this flow may join a group that this packet follows
            }
            if (candidate[i]) {
                startGroup(i);
            }
        }
    }

    private void parse(int i) {
        byte[] p = arena;
        int o = start[i];
        int n = length[i];
        ipHeaderLength[i] = NOT_TCP;
        candidate[i] = false;
        int ihl = IpHeaders.headerLength(p, o, n, TcpHeader.PROTOCOL_NUMBER);
        if (ihl == IpHeaders.NONE || n - ihl < TcpHeader.MIN_HEADER_LENGTH) {
            return;
        }
        int thl = TcpHeader.headerLength(p, o + ihl);
        if (thl < TcpHeader.MIN_HEADER_LENGTH || ihl + thl > n) {
            return;
        }
        ipHeaderLength[i] = ihl;
        tcpHeaderLength[i] = thl;
        int flags = p[o + ihl + TcpHeader.FLAGS] & 0xff;
        candidate[i] = n > ihl + thl && (flags == TcpHeader.ACK || flags == (TcpHeader.ACK | TcpHeader.PSH));
    }

    private int payload(int i) {
        return length[i] - ipHeaderLength[i] - tcpHeaderLength[i];
    }

    private int flags(int i) {
        return arena[start[i] + ipHeaderLength[i] + TcpHeader.FLAGS] & 0xff;
    }

    private long sequence(int i) {
        return Bytes.getInt(arena, start[i] + ipHeaderLength[i] + TcpHeader.SEQUENCE_NUMBER);
    }

    private int openGroupOfFlow(int i) {
        for (int k = 0; k < openCount; k++) {
            if (sameFlow(open[k], i)) {
                return open[k];
            }
        }
        return -1;
    }

    private boolean sameFlow(int a, int b) {
        return IpHeaders.sameFlow(arena, start[a], ipHeaderLength[a], start[b], ipHeaderLength[b]);
    }

    /** Whether packet {@code i} (a candidate of the group's flow) continues group {@code g} exactly. */
    private boolean canAppend(int g, int i) {
        if (closed[g]) {
            return false;
        }
        byte[] p = arena;
        int og = start[g];
        int oi = start[i];
        int ihl = ipHeaderLength[g];
        int thl = tcpHeaderLength[g];
        if (ipHeaderLength[i] != ihl || tcpHeaderLength[i] != thl) {
            return false;
        }
        int payload = payload(i);
        if (payload > segmentSize[g] || totalLength[g] + payload > MAX_PACKET) {
            return false;
        }
        if (!IpHeaders.mergeable(p, og, oi, ihl)) {
            return false;
        }
        int tg = og + ihl;
        int ti = oi + ihl;
        return sequence(i) == nextSequence[g]
                && Bytes.equal(p, tg + TcpHeader.ACKNOWLEDGMENT_NUMBER, ti + TcpHeader.ACKNOWLEDGMENT_NUMBER, 4)
                && Bytes.equal(p, tg + TcpHeader.WINDOW, ti + TcpHeader.WINDOW, 2)
                && Bytes.equal(
                        p,
                        tg + TcpHeader.MIN_HEADER_LENGTH,
                        ti + TcpHeader.MIN_HEADER_LENGTH,
                        thl - TcpHeader.MIN_HEADER_LENGTH);
    }

    private void startGroup(int i) {
        segmentSize[i] = payload(i);
        totalLength[i] = length[i];
        nextSequence[i] = (sequence(i) + payload(i)) & 0xffffffffL;
        closed[i] = (flags(i) & TcpHeader.PSH) != 0;
        if (!closed[i]) {
            open[openCount++] = i;
        }
    }

    /** Makes packet {@code i} the last member of group {@code g}. */
    private void link(int g, int i) {
        head[i] = g;
        nextMember[lastMember[g]] = i;
        lastMember[g] = i;
        members[g]++;
    }

    private void append(int g, int i) {
        int payload = payload(i);
        link(g, i);
        totalLength[g] += payload;
        nextSequence[g] = (nextSequence[g] + payload) & 0xffffffffL;
        if (payload < segmentSize[g] || (flags(i) & TcpHeader.PSH) != 0) {
            closeGroup(g);
        }
    }

    private void closeGroup(int g) {
        closed[g] = true;
        for (int k = 0; k < openCount; k++) {
            if (open[k] == g) {
                open[k] = open[--openCount];
                return;
            }
        }
    }

    // ---- the super-packet ----

    /** Builds group {@code g} as virtio header + super-packet in {@link #merged}; returns its length. */
    private int merge(int g) {
        int ihl = ipHeaderLength[g];
        int headers = ihl + tcpHeaderLength[g];
        int o = HEADROOM;
        System.arraycopy(arena, start[g], merged, o, headers);
        int at = o + headers;
        int lastFlags = 0;
        for (int m = g; m >= 0; m = nextMember[m]) {
            int payload = payload(m);
            System.arraycopy(arena, start[m] + headers, merged, at, payload);
            at += payload;
            lastFlags = flags(m);
        }
        int total = at - o;
        int tcp = o + ihl;
        merged[tcp + TcpHeader.FLAGS] |= (byte) (lastFlags & TcpHeader.PSH);
        // CHECKSUM_PARTIAL: the folded pseudo-header sum, not complemented
        int pseudo = IpHeaders.setLengths(merged, o, ihl, total, TcpHeader.PROTOCOL_NUMBER);
        Bytes.putShort(merged, tcp + TcpHeader.CHECKSUM, pseudo);

        header.set(
                VirtioNetHeader.F_NEEDS_CSUM,
                IpHeaders.isIpv4(merged, o) ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                headers,
                segmentSize[g],
                ihl,
                TcpHeader.CHECKSUM);
        header.encode(merged, 0);
        return HEADROOM + total;
    }

    @Override
    public String toString() {
        return "TcpCoalescer[" + count + " packets, " + used + " of " + arena.length + " bytes" + "]"
                + (count == 0 ? "" : " " + Arrays.toString(Arrays.copyOf(length, count)));
    }
}
