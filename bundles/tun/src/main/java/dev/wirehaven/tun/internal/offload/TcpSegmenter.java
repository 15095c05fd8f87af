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
public final class TcpSegmenter extends Segmenter {

    private long firstSequence;
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
        int ipHeaderLength = IpHeaders.superPacketHeaderLength(packet, length, version, TcpHeader.PROTOCOL_NUMBER);
        if (ipHeaderLength == IpHeaders.NONE) {
            return false;
        }
        int ipLength = IpHeaders.ipLength(packet);
        if (ipHeaderLength + TcpHeader.MIN_HEADER_LENGTH > ipLength) {
            return false;
        }
        int tcpHeaderLength = TcpHeader.headerLength(packet, ipHeaderLength);
        int headerLength = ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TcpHeader.MIN_HEADER_LENGTH || headerLength > ipLength || h.gsoSize == 0) {
            return false;
        }
        int payload = ipLength - headerLength;
        if (payload == 0 || headerLength + h.gsoSize > 65535) {
            return false;
        }
        begin(packet, ipHeaderLength, headerLength, ipLength, h.gsoSize);
        this.firstSequence = Bytes.getInt(packet, ipHeaderLength + TcpHeader.SEQUENCE_NUMBER);
        this.flags = packet[ipHeaderLength + TcpHeader.FLAGS] & 0xff;
        return true;
    }

    /** The sequence number advanced, FIN and PSH on the last segment only, CWR on the first only, the checksum. */
    @Override
    protected void finishTransport(
            byte[] out, int tcp, int length, long pseudo, int segment, boolean first, boolean last) {
        Bytes.putInt(out, tcp + TcpHeader.SEQUENCE_NUMBER, firstSequence + (long) segment * segmentSize());
        int f = flags;
        if (!last) {
            f &= ~(TcpHeader.FIN | TcpHeader.PSH);
        }
        if (!first) {
            f &= ~TcpHeader.CWR;
        }
        out[tcp + TcpHeader.FLAGS] = (byte) f;
        Bytes.putShort(out, tcp + TcpHeader.CHECKSUM, 0);
        int sum = ~Checksums.fold(Checksums.add(pseudo, out, tcp, length)) & 0xffff;
        Bytes.putShort(out, tcp + TcpHeader.CHECKSUM, sum);
    }

    @Override
    protected int protocolNumber() {
        return TcpHeader.PROTOCOL_NUMBER;
    }

    @Override
    public OffloadCounters.Protocol protocol() {
        return OffloadCounters.Protocol.TCP;
    }
}
