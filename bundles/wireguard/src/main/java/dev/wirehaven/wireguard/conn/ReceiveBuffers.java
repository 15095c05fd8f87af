package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The native buffers of {@link LinuxUdpBind}'s receiving thread for one {@code recvmmsg(2)}: the
 * messages, their names, control space and data slots (64 KiB each with UDP GRO), and how far the
 * datagrams of the last call have been handed out (a GRO run may outlast the caller's batch).
 * One receiving thread at a time.
 */
final class ReceiveBuffers {

    final int slots;
    final int slotSize;
    final Memory messages;
    final Memory iovecs;
    final Memory names;
    final Memory controls;
    final Memory data;
    final Memory pollFds = new Memory(16);
    final SocketAddressCodec codec;
    private int ready;
    private int next;
    private int offset;

    ReceiveBuffers(boolean gro, boolean dualStack, int largestBuffer) {
        this.codec = new SocketAddressCodec(dualStack);
        this.slots = gro ? LinuxUdpBind.GRO_SLOTS : LinuxUdpBind.BATCH;
        this.slotSize =
                gro ? LinuxUdpBind.MAX_DATAGRAM : Math.max(1, Math.min(LinuxUdpBind.MAX_DATAGRAM, largestBuffer));
        this.messages = new Memory((long) slots * MessageHeaders.MMSGHDR_SIZE);
        this.iovecs = new Memory((long) slots * MessageHeaders.IOVEC_SIZE);
        this.names = new Memory((long) slots * SocketAddressCodec.SOCKADDR_IN6_SIZE);
        this.controls = new Memory((long) slots * MessageHeaders.CONTROL_SPACE);
        this.data = new Memory((long) slots * slotSize);
        messages.clear();
        for (int i = 0; i < slots; i++) {
            long m = (long) i * MessageHeaders.MMSGHDR_SIZE;
            iovecs.setPointer(
                    (long) i * MessageHeaders.IOVEC_SIZE + MessageHeaders.IOV_BASE, data.share((long) i * slotSize));
            iovecs.setLong((long) i * MessageHeaders.IOVEC_SIZE + MessageHeaders.IOV_LEN, slotSize);
            messages.setPointer(
                    m + MessageHeaders.MSG_NAME, names.share((long) i * SocketAddressCodec.SOCKADDR_IN6_SIZE));
            messages.setPointer(m + MessageHeaders.MSG_IOV, iovecs.share((long) i * MessageHeaders.IOVEC_SIZE));
            messages.setLong(m + MessageHeaders.MSG_IOVLEN, 1);
            messages.setPointer(
                    m + MessageHeaders.MSG_CONTROL, controls.share((long) i * MessageHeaders.CONTROL_SPACE));
        }
    }

    boolean hasMore() {
        return next < ready;
    }

    /** Resets the lengths that the kernel overwrote in the last call. */
    void prepare() {
        for (int i = 0; i < slots; i++) {
            long m = (long) i * MessageHeaders.MMSGHDR_SIZE;
            messages.setInt(m + MessageHeaders.MSG_NAMELEN, SocketAddressCodec.SOCKADDR_IN6_SIZE);
            messages.setLong(m + MessageHeaders.MSG_CONTROLLEN, MessageHeaders.CONTROL_SPACE);
            messages.setInt(m + MessageHeaders.MSG_FLAGS, 0);
        }
    }

    void received(int n) {
        ready = n;
        next = 0;
        offset = 0;
    }

    /** Copies datagrams (GRO runs cut into their datagrams) into {@code dsts}; how many. */
    int handOut(ByteBuffer[] dsts, InetSocketAddress[] sources) {
        int k = 0;
        while (k < dsts.length && next < ready) {
            long m = (long) next * MessageHeaders.MMSGHDR_SIZE;
            int length = messages.getInt(m + MessageHeaders.MSG_LEN);
            InetSocketAddress from = codec.decode(
                    names,
                    (long) next * SocketAddressCodec.SOCKADDR_IN6_SIZE,
                    messages.getInt(m + MessageHeaders.MSG_NAMELEN));
            if (from == null) { // not an IP sender: nothing a device could answer
                next++;
                offset = 0;
                continue;
            }
            int segment = segmentSize(m, length);
            long base = (long) next * slotSize;
            do {
                int n = Math.min(segment, length - offset);
                ByteBuffer dst = dsts[k];
                int copy = Math.min(n, dst.remaining()); // a longer datagram is cut, as DatagramChannel does
                if (dst.hasArray()) {
                    data.read(base + offset, dst.array(), dst.arrayOffset() + dst.position(), copy);
                    dst.position(dst.position() + copy);
                } else {
                    dst.put(data.getByteBuffer(base + offset, copy));
                }
                sources[k++] = from;
                offset += n;
            } while (offset < length && k < dsts.length);
            if (offset >= length) {
                next++;
                offset = 0;
            }
        }
        return k;
    }

    /** The UDP_GRO control message's datagram size, or the whole length for a single datagram. */
    private int segmentSize(long m, int length) {
        long controlLength = messages.getLong(m + MessageHeaders.MSG_CONTROLLEN);
        long c = (long) next * MessageHeaders.CONTROL_SPACE;
        if (controlLength >= MessageHeaders.CMSG_DATA + 4
                && controls.getInt(c + MessageHeaders.CMSG_LEVEL) == SocketCalls.SOL_UDP
                && controls.getInt(c + MessageHeaders.CMSG_TYPE) == SocketCalls.UDP_GRO) {
            int size = controls.getInt(c + MessageHeaders.CMSG_DATA);
            if (size > 0) {
                return size;
            }
        }
        return Math.max(length, 1); // a zero-length datagram is still one datagram
    }
}
