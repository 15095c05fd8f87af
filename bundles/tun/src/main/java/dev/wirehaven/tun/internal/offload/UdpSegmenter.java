package dev.wirehaven.tun.internal.offload;

/**
 * Software USO for the read side: splits a UDP super-packet that the kernel handed out with gso_type
 * UDP_L4 (a UDP_SEGMENT send, or datagrams it merged) into the datagrams it stands for, as the
 * kernel's __udp_gso_segment would.
 *
 * <p>Each datagram is a whole IP packet of the super-packet's IP and UDP headers and at most
 * gso_size bytes of payload, the last one possibly shorter: IPv4 total length, an identification
 * incremented per datagram and the header checksum; IPv6 payload length; the UDP length and the UDP
 * checksum computed in full (the super-packet's checksum field holds only the pseudo-header sum), a
 * computed 0 sent as 0xFFFF because 0 means "no checksum" (RFC 768).
 *
 * <p>Lengths are taken from the IP header, not from hdr_len or the super-packet's UDP length (every
 * datagram gets its own), and everything is checked before the first datagram is handed out: {@link
 * #start} refuses what is not UDP, a fragment, an IPv6 extension header, gso_size 0, no payload, or
 * lengths that do not fit. A super-packet that fits one datagram comes out whole (the kernel itself
 * does not hand those out, but nothing is lost by taking one). One instance per reader; it keeps only
 * offsets and counts, and allocates nothing.
 */
public final class UdpSegmenter implements Segmenter {

    private boolean active;
    private boolean ipv4;
    private int ipHeaderLength;
    private int headerLength;
    private int end;
    private int segmentSize;
    private int nextPayload;
    private int segment;
    private int segments;
    private int firstIdentification;

    @Override
    public boolean start(byte[] packet, int length, VirtioNetHeader h) {
        clear();
        if (h.gsoType != VirtioNetHeader.GSO_UDP_L4 || length < 1) {
            return false;
        }
        int version = (packet[0] & 0xff) >>> 4;
        ipHeaderLength = IpHeaders.superPacketHeaderLength(packet, length, version, UdpHeader.PROTOCOL_NUMBER);
        if (ipHeaderLength == IpHeaders.NONE) {
            return false;
        }
        ipv4 = version == Ipv4Header.VERSION;
        int ipLength = IpHeaders.ipLength(packet);
        headerLength = ipHeaderLength + UdpHeader.HEADER_LENGTH;
        if (headerLength >= ipLength // no payload (or not even a UDP header)
                || h.gsoSize == 0
                || headerLength + h.gsoSize > 65535) {
            return false;
        }
        int payload = ipLength - headerLength;
        this.active = true;
        this.end = ipLength;
        this.segmentSize = h.gsoSize;
        this.nextPayload = headerLength;
        this.segments = (payload + segmentSize - 1) / segmentSize;
        this.firstIdentification = ipv4 ? Bytes.getShort(packet, Ipv4Header.IDENTIFICATION) : 0;
        return true;
    }

    @Override
    public boolean hasNext() {
        return active;
    }

    @Override
    public int segments() {
        return active ? segments : 0;
    }

    /** The first datagram is the longest still to come. */
    @Override
    public int maxSegmentLength() {
        return !active ? 0 : headerLength + Math.min(segmentSize, end - nextPayload);
    }

    @Override
    public void clear() {
        active = false;
        segment = 0;
    }

    @Override
    public int next(byte[] packet, byte[] out, int off) {
        int payload = Math.min(segmentSize, end - nextPayload);
        int length = headerLength + payload;
        int udpLength = length - ipHeaderLength;
        boolean last = nextPayload + payload == end;
        System.arraycopy(packet, 0, out, off, headerLength);
        System.arraycopy(packet, nextPayload, out, off + headerLength, payload);

        long pseudo = IpHeaders.setSegmentLengths(
                out, off, ipHeaderLength, length, firstIdentification + segment, UdpHeader.PROTOCOL_NUMBER);
        int udp = off + ipHeaderLength;
        Bytes.putShort(out, udp + UdpHeader.LENGTH, udpLength);
        Bytes.putShort(out, udp + UdpHeader.CHECKSUM, 0);
        int sum = ~Checksums.fold(Checksums.add(pseudo, out, udp, udpLength)) & 0xffff;
        Bytes.putShort(out, udp + UdpHeader.CHECKSUM, sum == 0 ? 0xffff : sum);

        segment++;
        nextPayload += payload;
        if (last) {
            clear();
        }
        return length;
    }

    @Override
    public OffloadCounters.Protocol protocol() {
        return OffloadCounters.Protocol.UDP;
    }
}
