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
public final class UdpSegmenter extends Segmenter {

    @Override
    public boolean start(byte[] packet, int length, VirtioNetHeader h) {
        clear();
        if (h.gsoType != VirtioNetHeader.GSO_UDP_L4 || length < 1) {
            return false;
        }
        int version = (packet[0] & 0xff) >>> 4;
        int ipHeaderLength = IpHeaders.superPacketHeaderLength(packet, length, version, UdpHeader.PROTOCOL_NUMBER);
        if (ipHeaderLength == IpHeaders.NONE) {
            return false;
        }
        int ipLength = IpHeaders.ipLength(packet);
        int headerLength = ipHeaderLength + UdpHeader.HEADER_LENGTH;
        if (headerLength >= ipLength // no payload (or not even a UDP header)
                || h.gsoSize == 0
                || headerLength + h.gsoSize > 65535) {
            return false;
        }
        begin(packet, ipHeaderLength, headerLength, ipLength, h.gsoSize);
        return true;
    }

    /** The UDP length and checksum; a computed 0 goes out as 0xFFFF (RFC 768: 0 means none). */
    @Override
    protected void finishTransport(
            byte[] out, int udp, int length, long pseudo, int segment, boolean first, boolean last) {
        Bytes.putShort(out, udp + UdpHeader.LENGTH, length);
        Bytes.putShort(out, udp + UdpHeader.CHECKSUM, 0);
        int sum = ~Checksums.fold(Checksums.add(pseudo, out, udp, length)) & 0xffff;
        Bytes.putShort(out, udp + UdpHeader.CHECKSUM, sum == 0 ? 0xffff : sum);
    }

    @Override
    protected int protocolNumber() {
        return UdpHeader.PROTOCOL_NUMBER;
    }

    @Override
    public OffloadCounters.Protocol protocol() {
        return OffloadCounters.Protocol.UDP;
    }
}
