package dev.wirehaven.tun.internal.offload;

import java.util.Locale;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the offload path of one TUN queue did, for tests, benchmarks and diagnostics. Adders rather
 * than atomics because several writer threads count at once. Super-packets are counted per {@link
 * Protocol}; the accessors without one give the sum over both.
 */
public final class OffloadCounters {

    /** The transport protocol of a super-packet: TCP (TSO, gso_type TCPV4/TCPV6) or UDP (USO, UDP_L4). */
    public enum Protocol {
        TCP,
        UDP
    }

    private static final int PROTOCOLS = Protocol.values().length;

    /** Reads that returned a super-packet, per protocol. */
    private final LongAdder[] superPacketsRead = adders();
    /** Plain packets handed out from those super-packets, per protocol. */
    private final LongAdder[] segmentsRead = adders();
    /** Packets read with VIRTIO_NET_HDR_F_NEEDS_CSUM whose checksum was completed here. */
    private final LongAdder checksumsCompleted = new LongAdder();
    /** Packets read that were malformed (bad header, unsupported GSO type, offsets outside) and dropped. */
    private final LongAdder malformedDropped = new LongAdder();
    /** The largest single read(2) in bytes, virtio header excluded. */
    private final LongAccumulator largestRead = new LongAccumulator(Math::max, 0);
    /** Super-packets written, per protocol, each made of two or more queued packets. */
    private final LongAdder[] coalescedWrites = adders();
    /** Queued packets that went into those super-packets, per protocol. */
    private final LongAdder[] segmentsCoalesced = adders();
    /** Super-packets the kernel refused (EINVAL), whose packets were then written one by one, per protocol. */
    private final LongAdder[] coalescedWritesRefused = adders();
    /** Single packets the kernel refused (EINVAL) during a flush. */
    private final LongAdder packetsRefused = new LongAdder();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[PROTOCOLS];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static long sum(LongAdder[] a) {
        long s = 0;
        for (LongAdder x : a) {
            s += x.sum();
        }
        return s;
    }

    public void readSuperPacket(Protocol protocol, int bytes, int segments) {
        superPacketsRead[protocol.ordinal()].increment();
        segmentsRead[protocol.ordinal()].add(segments);
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

    void coalesced(Protocol protocol, int segments) {
        coalescedWrites[protocol.ordinal()].increment();
        segmentsCoalesced[protocol.ordinal()].add(segments);
    }

    void coalescedRefused(Protocol protocol) {
        coalescedWritesRefused[protocol.ordinal()].increment();
    }

    void packetRefused() {
        packetsRefused.increment();
    }

    /** Super-packets read, TCP and UDP. */
    public long superPacketsRead() {
        return sum(superPacketsRead);
    }

    public long superPacketsRead(Protocol protocol) {
        return superPacketsRead[protocol.ordinal()].sum();
    }

    /** Packets handed out from super-packets, TCP and UDP. */
    public long segmentsRead() {
        return sum(segmentsRead);
    }

    public long segmentsRead(Protocol protocol) {
        return segmentsRead[protocol.ordinal()].sum();
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

    /** Super-packets written, TCP and UDP. */
    public long coalescedWrites() {
        return sum(coalescedWrites);
    }

    public long coalescedWrites(Protocol protocol) {
        return coalescedWrites[protocol.ordinal()].sum();
    }

    /** Queued packets merged into super-packets, TCP and UDP. */
    public long segmentsCoalesced() {
        return sum(segmentsCoalesced);
    }

    public long segmentsCoalesced(Protocol protocol) {
        return segmentsCoalesced[protocol.ordinal()].sum();
    }

    /** Super-packets refused and written again as their packets, TCP and UDP. */
    public long coalescedWritesRefused() {
        return sum(coalescedWritesRefused);
    }

    public long coalescedWritesRefused(Protocol protocol) {
        return coalescedWritesRefused[protocol.ordinal()].sum();
    }

    public long packetsRefused() {
        return packetsRefused.sum();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("read:");
        for (Protocol p : Protocol.values()) {
            s.append(' ')
                    .append(superPacketsRead(p))
                    .append(' ')
                    .append(p.name().toLowerCase(Locale.ROOT))
                    .append(" super-packets -> ")
                    .append(segmentsRead(p))
                    .append(" segments,");
        }
        s.append(" largest ").append(largestRead()).append(" B, ");
        s.append(checksumsCompleted()).append(" checksums completed, ");
        s.append(malformedDropped()).append(" malformed dropped; write:");
        for (Protocol p : Protocol.values()) {
            s.append(' ')
                    .append(coalescedWrites(p))
                    .append(' ')
                    .append(p.name().toLowerCase(Locale.ROOT))
                    .append(" super-packets <- ")
                    .append(segmentsCoalesced(p))
                    .append(" segments (")
                    .append(coalescedWritesRefused(p))
                    .append(" refused and split),");
        }
        return s.append(' ').append(packetsRefused()).append(" packets refused").toString();
    }
}
