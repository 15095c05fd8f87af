package dev.wirehaven.tun.internal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.wirehaven.tun.internal.offload.OffloadCounters;
import dev.wirehaven.tun.internal.offload.VirtioNetHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 *  LinuxTunQueue (offloads on)  fd 0 =====  AF_UNIX datagram socket pair  ===== fd 1  this test, playing the kernel
 *
 *  A datagram socket keeps message boundaries as a TUN does, so the queue's virtio-header path
 *  (read, segment, complete checksums, drop what is malformed; batch and coalesce on write) runs
 *  without root or a TUN. Linux only; no privileges.
 */
class LinuxTunQueueVirtioHeaderTest {

    /** socketpair(2), which the driver itself never needs. */
    static final class SocketPair {
        static {
            Native.register(SocketPair.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int socketpair(int domain, int type, int protocol, int[] sv);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;

    private LinuxTunQueue queue;
    private int kernelSide = -1;

    @BeforeEach
    void connect() {
        Assumptions.assumeTrue(Platform.isLinux(), "Linux only");
        connect(TunOpener.OFFLOADS, TunOpener.OFFLOAD_PATH);
    }

    /** Opens {@link #queue} on a new socket pair, as if the kernel had taken these TUNSETOFFLOAD bits. */
    private void connect(int offloads, String ioPath) {
        close();
        int[] sv = new int[2];
        assertEquals(0, SocketPair.socketpair(AF_UNIX, SOCK_DGRAM | LibC.SOCK_CLOEXEC | LibC.O_NONBLOCK, 0, sv));
        kernelSide = sv[1];
        int wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        int control = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        queue = new LinuxTunQueue("whfake0", sv[0], wake, control, 1500, offloads, ioPath);
    }

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
            queue = null;
        }
        if (kernelSide >= 0) {
            LibC.close(kernelSide);
            kernelSide = -1;
        }
    }

    private void fromKernel(VirtioNetHeader h, byte[] packet) {
        byte[] b = new byte[VirtioNetHeader.SIZE + packet.length];
        h.encode(b, 0);
        System.arraycopy(packet, 0, b, VirtioNetHeader.SIZE, packet.length);
        assertEquals(b.length, LibC.write(kernelSide, b, b.length));
    }

    private byte[] read() throws IOException {
        byte[] buf = new byte[1500];
        int n = queue.read(buf, 0, buf.length);
        return Arrays.copyOf(buf, n);
    }

    /** The next message the queue wrote, or null when there is none. */
    private byte[] toKernel() {
        byte[] b = new byte[70000];
        long n = LibC.read(kernelSide, b, b.length);
        return n < 0 ? null : Arrays.copyOf(b, (int) n);
    }

    private static VirtioNetHeader header(int flags, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        return new VirtioNetHeader().set(flags, gsoType, 0, gsoSize, csumStart, csumOffset);
    }

    /** An IPv4 TCP packet: flags ACK, no options, payload bytes 0, 1, 2, ...; checksum field as given. */
    private static byte[] tcp(long seq, int payloadLength, int checksumField) {
        int total = 40 + payloadLength;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 7)
                .putShort((short) 0x4000);
        b.put((byte) 64).put((byte) 6).putShort((short) 0).putInt(0x0a070001).putInt(0x0a070002);
        b.putShort((short) 1234)
                .putShort((short) 80)
                .putInt((int) seq)
                .putInt(99)
                .put((byte) 0x50);
        b.put((byte) 0x10)
                .putShort((short) 1000)
                .putShort((short) checksumField)
                .putShort((short) 0);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) i);
        }
        byte[] p = b.array();
        int sum = ipChecksum(p, 0, 20);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        return p;
    }

    /** An IPv4 UDP datagram from 10.7.0.1:4000 to 10.7.0.2:51820: payload bytes seed, seed + 1, ...; checksum field as given. */
    private static byte[] udp(int payloadLength, int seed, int checksumField) {
        int total = 28 + payloadLength;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 7)
                .putShort((short) 0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0a070001).putInt(0x0a070002);
        b.putShort((short) 4000)
                .putShort((short) 51820)
                .putShort((short) (total - 20))
                .putShort((short) checksumField);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (seed + i));
        }
        byte[] p = b.array();
        int sum = ipChecksum(p, 0, 20);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        return p;
    }

    /** The datagram with its UDP checksum computed (0 sent as 0xFFFF). */
    private static byte[] withUdpChecksum(byte[] p) {
        int sum = ipChecksum(udpPseudo(p), 0, 12 + p.length - 20);
        sum = sum == 0 ? 0xffff : sum;
        p[26] = (byte) (sum >>> 8);
        p[27] = (byte) sum;
        return p;
    }

    private static byte[] udpPseudo(byte[] p) {
        byte[] pseudo = new byte[12 + p.length - 20];
        System.arraycopy(p, 12, pseudo, 0, 8);
        pseudo[9] = 17;
        pseudo[10] = (byte) ((p.length - 20) >>> 8);
        pseudo[11] = (byte) (p.length - 20);
        System.arraycopy(p, 20, pseudo, 12, p.length - 20);
        return pseudo;
    }

    private static boolean udpChecksumValid(byte[] p) {
        return ipChecksum(udpPseudo(p), 0, 12 + p.length - 20) == 0;
    }

    private static int ipChecksum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /** The folded pseudo-header sum of an IPv4 TCP packet, as the kernel leaves it with NEEDS_CSUM. */
    private static int partial(byte[] p) {
        long s = 6 + (p.length - 20);
        for (int i = 12; i < 20; i += 2) {
            s += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static boolean tcpChecksumValid(byte[] p) {
        byte[] pseudo = new byte[12 + p.length - 20];
        System.arraycopy(p, 12, pseudo, 0, 8);
        pseudo[9] = 6;
        pseudo[10] = (byte) ((p.length - 20) >>> 8);
        pseudo[11] = (byte) (p.length - 20);
        System.arraycopy(p, 20, pseudo, 12, p.length - 20);
        return ipChecksum(pseudo, 0, pseudo.length) == 0;
    }

    // ---- read ----

    @Test
    void superPacketIsHandedOutAsSegmentsByConsecutiveReadsBeforeTheNextPacket() throws IOException {
        byte[] superPacket = tcp(5000, 2500, 0);
        superPacket[37] = (byte) partial(superPacket);
        superPacket[36] = (byte) (partial(superPacket) >>> 8);
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 1000, 20, 16), superPacket);
        byte[] marker = tcp(9, 1, 0);
        fromKernel(new VirtioNetHeader(), marker);

        List<byte[]> got = List.of(read(), read(), read(), read());

        assertEquals(
                List.of(1040, 1040, 540),
                got.subList(0, 3).stream().map(p -> p.length).toList());
        for (byte[] s : got.subList(0, 3)) {
            assertTrue(tcpChecksumValid(s));
        }
        assertArrayEquals(marker, got.get(3));
        OffloadCounters c = queue.counters();
        assertEquals(1, c.superPacketsRead());
        assertEquals(3, c.segmentsRead());
        assertEquals(2540, c.largestRead());
    }

    @Test
    void udpSuperPacketIsHandedOutAsDatagramsByConsecutiveReadsBeforeTheNextPacket() throws IOException {
        byte[] superPacket = udp(2 * 1200 + 345, 0, 0);
        int partial = 17 + superPacket.length - 20 + 0x0a07 + 0x0001 + 0x0a07 + 0x0002; // no carry
        superPacket[26] = (byte) (partial >>> 8);
        superPacket[27] = (byte) partial;
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 1200, 20, 6), superPacket);
        byte[] marker = tcp(9, 1, 0);
        fromKernel(new VirtioNetHeader(), marker);

        List<byte[]> got = List.of(read(), read(), read(), read());

        assertEquals(
                List.of(1228, 1228, 373),
                got.subList(0, 3).stream().map(p -> p.length).toList());
        for (int i = 0; i < 3; i++) {
            byte[] d = got.get(i);
            int payload = d.length - 28;
            byte[] expected = udp(payload, 1200 * i, 0);
            expected[5] = (byte) (7 + i); // the identification counts up from the super-packet's
            expected[10] = 0;
            expected[11] = 0;
            int sum = ipChecksum(expected, 0, 20);
            expected[10] = (byte) (sum >>> 8);
            expected[11] = (byte) sum;
            assertArrayEquals(withUdpChecksum(expected), d, "datagram " + i);
            assertTrue(udpChecksumValid(d));
            assertEquals(0, ipChecksum(d, 0, 20), "IPv4 header checksum");
        }
        assertArrayEquals(marker, got.get(3));
        OffloadCounters c = queue.counters();
        assertEquals(1, c.superPacketsRead(OffloadCounters.Protocol.UDP));
        assertEquals(3, c.segmentsRead(OffloadCounters.Protocol.UDP));
        assertEquals(0, c.superPacketsRead(OffloadCounters.Protocol.TCP));
        assertEquals(0, c.malformedDropped());
    }

    @Test
    void malformedUdpSuperPacketIsDroppedAndCounted() throws IOException {
        byte[] tcpInside = tcp(1, 3000, 0);
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 1000, 20, 6), tcpInside);
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 0, 20, 6), udp(3000, 0, 0));
        byte[] good = udp(10, 0, 0);
        fromKernel(new VirtioNetHeader(), good);

        assertArrayEquals(good, read());
        assertEquals(2, queue.counters().malformedDropped());
    }

    @Test
    void partialChecksumOfAPlainPacketIsCompleted() throws IOException {
        byte[] p = tcp(1, 333, 0);
        int partial = partial(p);
        p[36] = (byte) (partial >>> 8);
        p[37] = (byte) partial;
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 20, 16), p);

        byte[] got = read();

        assertTrue(tcpChecksumValid(got));
        assertEquals(1, queue.counters().checksumsCompleted());
    }

    @Test
    void malformedPacketsAreDroppedAndCountedAndTheReadGoesOn() throws IOException {
        assertEquals(5, LibC.write(kernelSide, new byte[5], 5)); // shorter than the header
        fromKernel(header(0, VirtioNetHeader.GSO_UDP, 1000, 0, 0), tcp(1, 3000, 0));
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 20, 5000), tcp(1, 10, 0));
        fromKernel(header(0, VirtioNetHeader.GSO_TCPV6, 1000, 0, 0), tcp(1, 3000, 0));
        byte[] good = tcp(2, 10, 0);
        fromKernel(new VirtioNetHeader(), good);

        assertArrayEquals(good, read());
        assertEquals(4, queue.counters().malformedDropped());
    }

    @Test
    void segmentLongerThanTheReadBufferDropsTheSuperPacketWithAReason() throws IOException {
        fromKernel(header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 1000, 20, 16), tcp(1, 3000, 0));
        byte[] good = tcp(2, 10, 0);
        fromKernel(new VirtioNetHeader(), good);

        byte[] small = new byte[500];
        IOException e = assertThrows(IOException.class, () -> queue.read(small, 0, small.length));

        assertTrue(e.getMessage().contains("1040 bytes"), e.getMessage());
        assertArrayEquals(good, read());
    }

    // ---- write ----

    @Test
    void queuedSegmentsLeaveAsOneSuperPacketAtTheFlush() throws IOException {
        byte[] a = tcp(100, 1000, 0);
        byte[] b = tcp(1100, 1000, 0);
        queue.queueWrite(a, 0, a.length);
        queue.queueWrite(b, 0, b.length);
        assertEquals(null, toKernel(), "nothing before the flush");

        queue.flushWrites();

        byte[] out = toKernel();
        VirtioNetHeader h = new VirtioNetHeader();
        h.decode(out, 0);
        assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoType());
        assertEquals(1000, h.gsoSize());
        assertEquals(VirtioNetHeader.SIZE + 2040, out.length);
        assertEquals(null, toKernel());
        assertEquals(1, queue.counters().coalescedWrites());
    }

    @Test
    void plainWriteGoesBehindAZeroHeaderAfterWhatTheThreadQueued() throws IOException {
        byte[] queued = tcp(100, 10, 0);
        byte[] direct = tcp(7, 20, 0);
        queue.queueWrite(queued, 0, queued.length);

        queue.write(direct, 0, direct.length);

        List<byte[]> out = new ArrayList<>();
        for (byte[] m = toKernel(); m != null; m = toKernel()) {
            out.add(m);
        }
        assertEquals(2, out.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(new byte[VirtioNetHeader.SIZE], Arrays.copyOf(out.get(i), VirtioNetHeader.SIZE));
        }
        assertArrayEquals(queued, Arrays.copyOfRange(out.get(0), VirtioNetHeader.SIZE, out.get(0).length));
        assertArrayEquals(direct, Arrays.copyOfRange(out.get(1), VirtioNetHeader.SIZE, out.get(1).length));
    }

    @Test
    void eachThreadFlushesOnlyTheBatchItQueued() throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        ExecutorService two = Executors.newSingleThreadExecutor();
        try {
            byte[] a1 = tcp(100, 1000, 0);
            byte[] a2 = tcp(1100, 1000, 0);
            byte[] b1 = tcp(5000, 500, 0);
            b1[21] = 2; // another source port: another flow
            b1[30] = 2;
            one.submit(() -> {
                        queue.queueWrite(a1, 0, a1.length);
                        queue.queueWrite(a2, 0, a2.length);
                        return null;
                    })
                    .get();
            two.submit(() -> {
                        queue.queueWrite(b1, 0, b1.length);
                        queue.flushWrites();
                        return null;
                    })
                    .get();

            byte[] first = toKernel();
            assertArrayEquals(b1, Arrays.copyOfRange(first, VirtioNetHeader.SIZE, first.length));
            assertEquals(null, toKernel(), "the other thread's batch waits for its own flush");

            one.submit(() -> {
                        queue.flushWrites();
                        return null;
                    })
                    .get();
            byte[] second = toKernel();
            assertEquals(VirtioNetHeader.SIZE + 2040, second.length);
        } finally {
            one.shutdownNow();
            two.shutdownNow();
        }
    }

    @Test
    void queuedDatagramsOfAFlowLeaveAsOneUdpSuperPacketWhenTheKernelTookUso() throws IOException {
        List<byte[]> datagrams = List.of(
                withUdpChecksum(udp(1000, 0, 0)), withUdpChecksum(udp(1000, 1, 0)), withUdpChecksum(udp(500, 2, 0)));
        for (byte[] d : datagrams) {
            queue.queueWrite(d, 0, d.length);
        }

        queue.flushWrites();

        byte[] out = toKernel();
        VirtioNetHeader h = new VirtioNetHeader();
        h.decode(out, 0);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoType());
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, h.flags());
        assertEquals(1000, h.gsoSize());
        assertEquals(VirtioNetHeader.SIZE + 28 + 2500, out.length);
        assertEquals(null, toKernel());
        assertEquals(1, queue.counters().coalescedWrites(OffloadCounters.Protocol.UDP));
        assertEquals(3, queue.counters().segmentsCoalesced(OffloadCounters.Protocol.UDP));
    }

    @Test
    void queuedDatagramsLeaveOneByOneWhenTheKernelTookOnlyTso() throws IOException {
        connect(TunOpener.TSO, "vnet-hdr csum tso4 tso6 gro (uso refused: Invalid argument)");
        List<byte[]> datagrams = List.of(withUdpChecksum(udp(1000, 0, 0)), withUdpChecksum(udp(1000, 7, 0)));
        for (byte[] d : datagrams) {
            queue.queueWrite(d, 0, d.length);
        }

        queue.flushWrites();

        for (byte[] d : datagrams) {
            byte[] out = toKernel();
            assertArrayEquals(new byte[VirtioNetHeader.SIZE], Arrays.copyOf(out, VirtioNetHeader.SIZE));
            assertArrayEquals(d, Arrays.copyOfRange(out, VirtioNetHeader.SIZE, out.length));
        }
        assertEquals(null, toKernel());
        assertEquals(0, queue.counters().coalescedWrites());
    }

    @Test
    void ioPathNamesTheOffloads() {
        assertEquals("vnet-hdr csum tso4 tso6 uso4 uso6 gro", queue.ioPath());
    }
}
