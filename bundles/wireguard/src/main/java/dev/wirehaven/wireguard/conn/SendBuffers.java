package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A sending thread's native buffers for {@link LinuxUdpBind}: the messages of one {@code sendmmsg(2)}, their
 * data (copied from the caller's buffers, runs of equal sizes packed for UDP_SEGMENT) and destination.
 * One per thread; made once, so that a send allocates nothing.
 */
final class SendBuffers {

    final Memory messages = new Memory((long) LinuxUdpBind.BATCH * MessageHeaders.MMSGHDR_SIZE);
    final Memory iovecs = new Memory((long) (LinuxUdpBind.BATCH + 1) * MessageHeaders.IOVEC_SIZE);
    final Memory controls = new Memory((long) LinuxUdpBind.BATCH * MessageHeaders.CONTROL_SPACE);
    /** {@code &messages[i]}, made once: a {@code share} per call would be garbage per batch. */
    final Pointer[] messageAt = new Pointer[LinuxUdpBind.BATCH];
    // raw addresses for the pointers written into the structures (setLong allocates nothing)
    private final long iovecsAddress = Pointer.nativeValue(iovecs);
    private final long controlsAddress = Pointer.nativeValue(controls);
    private long dataAddress;
    final Memory name = new Memory(SocketAddressCodec.SOCKADDR_IN6_SIZE);
    final Memory spare = new Memory(MessageHeaders.MMSGHDR_SIZE);
    final Memory pollFds = new Memory(16);
    final ByteBuffer[] one = new ByteBuffer[1];
    Memory data = new Memory((long) LinuxUdpBind.BATCH * 2048);
    final int[] firstBuffer = new int[LinuxUdpBind.BATCH];
    final int[] segments = new int[LinuxUdpBind.BATCH];
    final long[] dataOffset = new long[LinuxUdpBind.BATCH];
    int count;
    private int nameLength;
    private SocketAddressCodec v6;
    private SocketAddressCodec v4;

    SendBuffers() {
        for (int i = 0; i < LinuxUdpBind.BATCH; i++) {
            messageAt[i] = messages.share((long) i * MessageHeaders.MMSGHDR_SIZE);
        }
        dataAddress = Pointer.nativeValue(data);
    }

    SocketAddressCodec codec(boolean dualStack) {
        if (dualStack) {
            return v6 == null ? v6 = new SocketAddressCodec(true) : v6;
        }
        return v4 == null ? v4 = new SocketAddressCodec(false) : v4;
    }

    /**
     * Copies datagrams from {@code srcs[from..)} into messages: with segmentation, a run of equal
     * sizes (the last may be shorter) shares one message. Stops when the messages or the data
     * buffer are full.
     *
     * @return the index of the first buffer not packed
     */
    int pack(ByteBuffer[] srcs, int from, int to, boolean segment, int nameLength) {
        this.nameLength = nameLength;
        count = 0;
        long used = 0;
        int i = from;
        if (srcs[i].remaining() > data.size()) {
            data = new Memory(Math.max(srcs[i].remaining(), data.size() * 2)); // before any pointer into it
            dataAddress = Pointer.nativeValue(data);
        }
        while (i < to && count < LinuxUdpBind.BATCH) {
            int size = srcs[i].remaining();
            if (used + size > data.size()) {
                break;
            }
            long start = used;
            int first = i;
            int bytes = 0;
            int last = size;
            do {
                last = srcs[i].remaining();
                copy(srcs[i], used);
                used += last;
                bytes += last;
                i++;
            } while (segment
                    && i < to
                    && last == size
                    && i - first < LinuxUdpBind.MAX_SEGMENTS
                    && srcs[i].remaining() <= size
                    && bytes + srcs[i].remaining() <= LinuxUdpBind.MAX_SEGMENTED_BYTES
                    && used + srcs[i].remaining() <= data.size());
            describe(count, start, bytes, i - first, size);
            firstBuffer[count] = first;
            segments[count] = i - first;
            dataOffset[count] = start;
            count++;
        }
        return i;
    }

    private void copy(ByteBuffer src, long at) {
        int n = src.remaining();
        if (src.hasArray()) {
            data.write(at, src.array(), src.arrayOffset() + src.position(), n);
        } else {
            data.getByteBuffer(at, n).put(src.duplicate());
        }
    }

    /** Fills message {@code m}: one iovec over its bytes and, for a run, the UDP_SEGMENT size. */
    private void describe(int m, long start, int bytes, int segmentCount, int segmentSize) {
        long h = (long) m * MessageHeaders.MMSGHDR_SIZE;
        long v = (long) m * MessageHeaders.IOVEC_SIZE;
        iovecs.setLong(v + MessageHeaders.IOV_BASE, dataAddress + start);
        iovecs.setLong(v + MessageHeaders.IOV_LEN, bytes);
        messages.setPointer(h + MessageHeaders.MSG_NAME, name);
        messages.setInt(h + MessageHeaders.MSG_NAMELEN, nameLength);
        messages.setLong(h + MessageHeaders.MSG_IOV, iovecsAddress + v);
        messages.setLong(h + MessageHeaders.MSG_IOVLEN, 1);
        messages.setInt(h + MessageHeaders.MSG_FLAGS, 0);
        messages.setInt(h + MessageHeaders.MSG_LEN, 0);
        if (segmentCount > 1) {
            long c = (long) m * MessageHeaders.CONTROL_SPACE;
            controls.setLong(c + MessageHeaders.CMSG_LEN, MessageHeaders.CMSG_DATA + 2);
            controls.setInt(c + MessageHeaders.CMSG_LEVEL, SocketCalls.SOL_UDP);
            controls.setInt(c + MessageHeaders.CMSG_TYPE, SocketCalls.UDP_SEGMENT);
            controls.setShort(c + MessageHeaders.CMSG_DATA, (short) segmentSize);
            messages.setLong(h + MessageHeaders.MSG_CONTROL, controlsAddress + c);
            messages.setLong(h + MessageHeaders.MSG_CONTROLLEN, MessageHeaders.CONTROL_SPACE);
        } else {
            messages.setPointer(h + MessageHeaders.MSG_CONTROL, null);
            messages.setLong(h + MessageHeaders.MSG_CONTROLLEN, 0);
        }
    }

    /** Prepares {@link #spare} as one unsegmented datagram of {@code length} bytes at {@code offset}. */
    void single(long offset, int length) {
        long v = (long) LinuxUdpBind.BATCH * MessageHeaders.IOVEC_SIZE;
        iovecs.setLong(v + MessageHeaders.IOV_BASE, dataAddress + offset);
        iovecs.setLong(v + MessageHeaders.IOV_LEN, length);
        spare.clear();
        spare.setPointer(MessageHeaders.MSG_NAME, name);
        spare.setInt(MessageHeaders.MSG_NAMELEN, nameLength);
        spare.setLong(MessageHeaders.MSG_IOV, iovecsAddress + v);
        spare.setLong(MessageHeaders.MSG_IOVLEN, 1);
    }

    /** Marks the buffers of messages {@code [from, to)} as sent. */
    void consume(ByteBuffer[] srcs, int from, int to) {
        for (int m = from; m < to; m++) {
            for (int k = 0; k < segments[m]; k++) {
                ByteBuffer b = srcs[firstBuffer[m] + k];
                b.position(b.limit());
            }
        }
    }
}
