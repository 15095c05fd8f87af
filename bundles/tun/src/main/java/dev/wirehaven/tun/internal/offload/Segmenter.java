package dev.wirehaven.tun.internal.offload;

/**
 * Software segmentation for the read side: splits a super-packet that the kernel handed out with a
 * gso_type into the IP packets it stands for, one per {@link #next} call. The reader picks the
 * segmenter by gso_type ({@link TcpSegmenter} for TCPV4/TCPV6, {@link UdpSegmenter} for UDP_L4).
 *
 * <p>Implementations keep only offsets and counts (the caller keeps the super-packet and passes it
 * to every {@link #next}), check everything in {@link #start} before the first segment is handed
 * out, and allocate nothing. One instance per reader.
 */
public interface Segmenter {

    /**
     * Prepares to split {@code packet[0, length)}.
     *
     * @return false if it is not a super-packet of the kind the header announces (nothing to hand out then)
     */
    boolean start(byte[] packet, int length, VirtioNetHeader h);

    /** Whether a segment is left to take. */
    boolean hasNext();

    /** How many segments the current super-packet makes (0 when none is in hand). */
    int segments();

    /** The length of the longest segment still to come (0 when none is in hand). */
    int maxSegmentLength();

    /** Forgets the super-packet (its remaining segments are dropped). */
    void clear();

    /**
     * Writes the next segment of {@code packet} (the array given to {@link #start}, unchanged) to
     * {@code out} at {@code off} (there must be room for {@link #maxSegmentLength()} bytes) and
     * returns its length.
     */
    int next(byte[] packet, byte[] out, int off);

    /** The transport protocol of the segments, for the counters. */
    OffloadCounters.Protocol protocol();
}
