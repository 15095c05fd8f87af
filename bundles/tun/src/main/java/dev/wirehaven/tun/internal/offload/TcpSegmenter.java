package dev.wirehaven.tun.internal.offload;

/**
 * Software TSO for the read side: splits a TCP super-packet that the kernel handed out with
 * gso_type TCPV4/TCPV6 into the segments it stands for, as the kernel's tcp_gso_segment would.
 *
 * <p>Each segment is a whole IP packet of the super-packet's IP and TCP headers (options kept)
 * and at most gso_size bytes of payload: IPv4 total length, an identification incremented per
 * segment and the header checksum; IPv6 payload length; the TCP sequence number advanced, FIN and
 * PSH on the last segment only, CWR on the first only, and the TCP checksum computed in full
 * (the super-packet's checksum field holds only the pseudo-header sum).
 *
 * <p>Header lengths are taken from the packet itself (IHL, Data Offset), not from hdr_len, and
 * everything is checked before the first segment is handed out: {@link #start} refuses what is
 * malformed. One instance per reader; it keeps only offsets and counts (the caller keeps the
 * super-packet and passes it to every {@link #next}), and allocates nothing.
 */
public final class TcpSegmenter implements Segmenter {

    private boolean active;
    private boolean ipv4;
    private int ipHeaderLength;
    private int headerLength;
    private int end;
    private int segmentSize;
    private int nextPayload;
    private int segment;
    private int segments;
    private long firstSequence;
    private int firstIdentification;
    private int flags;

    /**
     * Prepares to split {@code packet[0, length)}.
     *
     * @return false if it is not a TCP super-packet of the kind the header announces (nothing to hand out then)
     */
    @Override
    public boolean start(byte[] packet, int length, VirtioNetHeader h) {
        clear();
        int type = h.gsoType & ~VirtioNetHeader.GSO_ECN;
        int version;
        if (type == VirtioNetHeader.GSO_TCPV4) {
            version = Ipv4Header.VERSION;
        } else if (type == VirtioNetHeader.GSO_TCPV6) {
            version = Ipv6Header.VERSION;
        } else {
            return false;
        }
        ipHeaderLength = IpHeaders.superPacketHeaderLength(packet, length, version, TcpHeader.PROTOCOL_NUMBER);
        if (ipHeaderLength == IpHeaders.NONE) {
            return false;
        }
        ipv4 = version == Ipv4Header.VERSION;
        int ipLength = IpHeaders.ipLength(packet);
        if (ipHeaderLength + TcpHeader.MIN_HEADER_LENGTH > ipLength) {
            return false;
        }
        int tcpHeaderLength = TcpHeader.headerLength(packet, ipHeaderLength);
        headerLength = ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TcpHeader.MIN_HEADER_LENGTH || headerLength > ipLength || h.gsoSize == 0) {
            return false;
        }
        int payload = ipLength - headerLength;
        if (payload == 0 || headerLength + h.gsoSize > 65535) {
            return false;
        }
        this.active = true;
        this.end = ipLength;
        this.segmentSize = h.gsoSize;
        this.nextPayload = headerLength;
        this.segments = (payload + segmentSize - 1) / segmentSize;
        this.firstSequence = Bytes.getInt(packet, ipHeaderLength + TcpHeader.SEQUENCE_NUMBER);
        this.firstIdentification = ipv4 ? Bytes.getShort(packet, Ipv4Header.IDENTIFICATION) : 0;
        this.flags = packet[ipHeaderLength + TcpHeader.FLAGS] & 0xff;
        return true;
    }

    /** Whether a segment is left to take. */
    @Override
    public boolean hasNext() {
        return active;
    }

    /** How many segments the current super-packet makes (0 when none is in hand). */
    @Override
    public int segments() {
        return active ? segments : 0;
    }

    /** The length of the longest segment still to come: the first one. */
    @Override
    public int maxSegmentLength() {
        return !active ? 0 : headerLength + Math.min(segmentSize, end - nextPayload);
    }

    /** Forgets the super-packet (its remaining segments are dropped). */
    @Override
    public void clear() {
        active = false;
        segment = 0;
    }

    /**
     * Writes the next segment of {@code packet} (the array given to {@link #start}, unchanged) to
     * {@code out} at {@code off} (there must be room for {@link #maxSegmentLength()} bytes) and
     * returns its length.
     */
    @Override
    public int next(byte[] packet, byte[] out, int off) {
        byte[] p = packet;
        int payload = Math.min(segmentSize, end - nextPayload);
        int length = headerLength + payload;
        boolean first = segment == 0;
        boolean last = nextPayload + payload == end;
        System.arraycopy(p, 0, out, off, headerLength);
        System.arraycopy(p, nextPayload, out, off + headerLength, payload);

        int tcp = off + ipHeaderLength;
        Bytes.putInt(out, tcp + TcpHeader.SEQUENCE_NUMBER, firstSequence + (long) segment * segmentSize);
        int f = flags;
        if (!last) {
            f &= ~(TcpHeader.FIN | TcpHeader.PSH);
        }
        if (!first) {
            f &= ~TcpHeader.CWR;
        }
        out[tcp + TcpHeader.FLAGS] = (byte) f;
        long pseudo = IpHeaders.setSegmentLengths(
                out, off, ipHeaderLength, length, firstIdentification + segment, TcpHeader.PROTOCOL_NUMBER);
        Bytes.putShort(out, tcp + TcpHeader.CHECKSUM, 0);
        int sum = ~Checksums.fold(Checksums.add(pseudo, out, tcp, length - ipHeaderLength)) & 0xffff;
        Bytes.putShort(out, tcp + TcpHeader.CHECKSUM, sum);

        segment++;
        nextPayload += payload;
        if (last) {
            clear();
        }
        return length;
    }

    @Override
    public OffloadCounters.Protocol protocol() {
        return OffloadCounters.Protocol.TCP;
    }
}
