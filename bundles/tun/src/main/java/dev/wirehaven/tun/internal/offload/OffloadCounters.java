package dev.wirehaven.tun.internal.offload;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the offload path of one TUN queue did, for tests, benchmarks and diagnostics. Adders rather
 * than atomics because several writer threads count at once.
 */
public final class OffloadCounters {

    /** Reads that returned a TSO super-packet (gso_type TCPV4/TCPV6). */
    final LongAdder superPacketsRead = new LongAdder();
    /** Plain packets handed out from those super-packets. */
    final LongAdder segmentsRead = new LongAdder();
    /** Packets read with VIRTIO_NET_HDR_F_NEEDS_CSUM whose checksum was completed here. */
    final LongAdder checksumsCompleted = new LongAdder();
    /** Packets read that were malformed (bad header, unsupported GSO type, offsets outside) and dropped. */
    final LongAdder malformedDropped = new LongAdder();
    /** The largest single read(2) in bytes, virtio header excluded. */
    final LongAccumulator largestRead = new LongAccumulator(Math::max, 0);
    /** Super-packets written with gso_type TCPV4/TCPV6, each made of two or more queued packets. */
    final LongAdder coalescedWrites = new LongAdder();
    /** Queued packets that went into those super-packets. */
    final LongAdder segmentsCoalesced = new LongAdder();
    /** Super-packets the kernel refused (EINVAL), whose segments were then written one by one. */
    final LongAdder coalescedWritesRefused = new LongAdder();
    /** Single packets the kernel refused (EINVAL) during a flush. */
    final LongAdder packetsRefused = new LongAdder();

    public void readSuperPacket(int bytes, int segments) {
        superPacketsRead.increment();
        segmentsRead.add(segments);
        largestRead.accumulate(bytes);
    }

    public void readPlain(int bytes) {
        largestRead.accumulate(bytes);
    }

    public void checksumCompleted() {
        checksumsCompleted.increment();
    }

    public void malformed() {
        malformedDropped.increment();
    }

    void coalesced(int segments) {
        coalescedWrites.increment();
        segmentsCoalesced.add(segments);
    }

    void coalescedRefused() {
        coalescedWritesRefused.increment();
    }

    void packetRefused() {
        packetsRefused.increment();
    }

    public long superPacketsRead() {
        return superPacketsRead.sum();
    }

    public long segmentsRead() {
        return segmentsRead.sum();
    }

    public long checksumsCompleted() {
        return checksumsCompleted.sum();
    }

    public long malformedDropped() {
        return malformedDropped.sum();
    }

    public long largestRead() {
        return largestRead.get();
    }

    public long coalescedWrites() {
        return coalescedWrites.sum();
    }

    public long segmentsCoalesced() {
        return segmentsCoalesced.sum();
    }

    public long coalescedWritesRefused() {
        return coalescedWritesRefused.sum();
    }

    public long packetsRefused() {
        return packetsRefused.sum();
    }

    @Override
    public String toString() {
        return "read: " + superPacketsRead() + " super-packets -> " + segmentsRead() + " segments, largest "
                + largestRead() + " B, " + checksumsCompleted() + " checksums completed, " + malformedDropped()
                + " malformed dropped; write: " + coalescedWrites() + " super-packets <- " + segmentsCoalesced()
                + " segments, " + coalescedWritesRefused() + " refused and split, " + packetsRefused()
                + " packets refused";
    }
}
