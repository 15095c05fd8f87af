package dev.wirehaven.tun.internal.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a write batch hands the kernel, for the TCP and UDP merging tests: each write is a virtio header, then a packet. */
final class CoalescedWrites {

    private CoalescedWrites() {}

    /** Queues {@code packets} in {@code batch} (each must fit) and flushes it; returns the writes in order. */
    static List<byte[]> flush(TcpCoalescer batch, List<byte[]> packets) throws IOException {
        List<byte[]> written = new ArrayList<>();
        for (byte[] p : packets) {
            assertTrue(batch.add(p, 0, p.length));
        }
        batch.flush((b, off, len) -> written.add(Arrays.copyOfRange(b, off, off + len)));
        return written;
    }

    static VirtioNetHeader header(byte[] out) {
        VirtioNetHeader h = new VirtioNetHeader();
        h.decode(out, 0);
        return h;
    }

    static byte[] packet(byte[] out) {
        return Arrays.copyOfRange(out, VirtioNetHeader.SIZE, out.length);
    }

    /** The write is {@code expected} unchanged behind a zero header (no offload asked of the kernel). */
    static void assertWrittenAsIs(byte[] expected, byte[] out) {
        assertArrayEquals(new byte[VirtioNetHeader.SIZE], Arrays.copyOf(out, VirtioNetHeader.SIZE), "zero header");
        assertArrayEquals(expected, packet(out));
    }
}
