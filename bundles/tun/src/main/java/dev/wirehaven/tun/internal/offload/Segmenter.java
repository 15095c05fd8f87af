package dev.wirehaven.tun.internal.offload;

/**
 * Splits a super-packet that the kernel handed out with a GSO type into the packets it stands for,
 * one {@link #next} at a time. The IP side is the same for every protocol and lives here: each
 * segment is the super-packet's IP and transport headers and at most gso_size bytes of payload, with
 * its own IPv4 total length, identification (incremented per segment) and header checksum, or IPv6
 * payload length ({@link IpHeaders#setSegmentLengths}). A subclass checks the super-packet in {@link
 * #start} and fills in each segment's transport header and checksum in {@link #finishTransport}. The
 * reader picks the segmenter by gso_type ({@link TcpSegmenter} for TCPV4/TCPV6, {@link UdpSegmenter}
 * for UDP_L4).
 *
 * <p>One instance per reader; it keeps only offsets and counts (the caller keeps the super-packet and
 * passes it to every {@link #next}), and allocates nothing.
 */
public abstract class Segmenter {

    private boolean active;
    private int ipHeaderLength;
    private int headerLength;
    private int end;
    private int segmentSize;
    private int nextPayload;
    private int segment;
    private int segments;
    private int firstIdentification;

    /**
     * Prepares to split {@code packet[0, length)}.
     *
     * @return false if it is not a super-packet of the kind the header announces (nothing to hand out then)
     */
    public abstract boolean start(byte[] packet, int length, VirtioNetHeader h);

    /** The transport protocol of the segments, for the counters. */
    public abstract OffloadCounters.Protocol protocol();

    /** The IP protocol number of the segments' transport header. */
    protected abstract int protocolNumber();

    /**
     * Sets the transport header of a segment written at {@code out[transport, transport + length)} (its
     * IP header is done): what differs per segment, then the checksum, from the folded pseudo-header
     * sum {@code pseudo}.
     *
     * @param segment the segment's number, 0 for the first
     */
    protected abstract void finishTransport(
            byte[] out, int transport, int length, long pseudo, int segment, boolean first, boolean last);

    /**
     * From {@link #start}, once the super-packet passed its checks: hand out its payload after {@code
     * headerLength} bytes of headers, up to {@code ipLength}, in pieces of {@code gsoSize}.
     */
    protected final void begin(byte[] packet, int ipHeaderLength, int headerLength, int ipLength, int gsoSize) {
        this.active = true;
        this.ipHeaderLength = ipHeaderLength;
        this.headerLength = headerLength;
        this.end = ipLength;
        this.segmentSize = gsoSize;
        this.nextPayload = headerLength;
        this.segments = (ipLength - headerLength + gsoSize - 1) / gsoSize;
        this.firstIdentification = IpHeaders.isIpv4(packet, 0) ? Bytes.getShort(packet, Ipv4Header.IDENTIFICATION) : 0;
    }

    /** The payload bytes per segment (gso_size) of the super-packet in hand. */
    protected final int segmentSize() {
        return segmentSize;
    }

    /** Whether a segment is left to take. */
    public final boolean hasNext() {
        return active;
    }

    /** How many segments the current super-packet makes (0 when none is in hand). */
    public final int segments() {
        return active ? segments : 0;
    }

    /** The length of the longest segment still to come (the next one; 0 when none is in hand). */
    public final int maxSegmentLength() {
        return !active ? 0 : headerLength + Math.min(segmentSize, end - nextPayload);
    }

    /** Forgets the super-packet (its remaining segments are dropped). */
    public final void clear() {
        active = false;
        segment = 0;
    }

    /**
     * Writes the next segment of {@code packet} (the array given to {@link #start}, unchanged) to
     * {@code out} at {@code off} (there must be room for {@link #maxSegmentLength()} bytes) and
     * returns its length.
     */
    public final int next(byte[] packet, byte[] out, int off) {
        int payload = Math.min(segmentSize, end - nextPayload);
        int length = headerLength + payload;
        boolean first = segment == 0;
        boolean last = nextPayload + payload == end;
        System.arraycopy(packet, 0, out, off, headerLength);
        System.arraycopy(packet, nextPayload, out, off + headerLength, payload);
        long pseudo = IpHeaders.setSegmentLengths(
                out, off, ipHeaderLength, length, firstIdentification + segment, protocolNumber());
        finishTransport(out, off + ipHeaderLength, length - ipHeaderLength, pseudo, segment, first, last);
        segment++;
        nextPayload += payload;
        if (last) {
            clear();
        }
        return length;
    }
}
