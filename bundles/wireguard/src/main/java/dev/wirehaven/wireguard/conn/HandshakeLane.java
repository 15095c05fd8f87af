package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * The second socket of a {@link LinuxUdpBind}, on the same port, that receives every datagram that
 * is not a transport message: handshake messages, cookie replies, and whatever junk arrives. The two
 * sockets form a reuseport group whose classic BPF program reads the first byte of each datagram's
 * UDP payload (the low byte of {@code msg.type}, whitepaper §5.4) and picks the socket:
 *
 * <pre>
 *   ld len                  A = length of the UDP payload
 *   jge #32, next, lane     shorter than the smallest transport message (header and tag)?
 *   ldb [0]                 A = first byte of the payload
 *   jeq #4, next, lane      MESSAGE_TRANSPORT?
 *   ldb [4]                 A = low byte of the receiver index (little-endian)
 *   jeq #tag, data, lane    one of the device's indices?
 *   data: ret #0            the bind's own socket (index 0 of the group, bound first)
 *   lane: ret #1            this lane (index 1)
 * </pre>
 *
 * The last two steps come once the device has said which tag its indices carry
 * ({@link Bind#steerByReceiverTag}); before that every transport message goes to the data socket.
 *
 * <p><b>Why.</b> Under a flood of junk and forged initiations, junk and the tunnel's data share one
 * receive queue; once the reader falls behind (on a busy host it is not scheduled for tens of
 * milliseconds), the kernel drops from the full queue whatever comes next, data included, and TCP
 * inside the tunnel halves its window for each loss. With the lane, junk that is not shaped like a
 * transport message fills only the lane's queue, whose overflow the kernel drops before any copy
 * (counted: {@link LinuxUdpBind#receiveQueueDrops()}), and the device reads the lane on a thread of
 * lower priority, so that junk gets the CPU that data leaves. The kernel's WireGuard keeps handshakes
 * apart from data the same way: they go to a queue and a workqueue of their own while data moves in
 * the network stack's softirq.
 *
 * <p>Steering is only an optimization: both readers dispatch every message by its type, so a
 * datagram on the other socket (while the group forms, or where the kernel falls back to the flow
 * hash) is still handled. Only sockets of the same user can join a reuseport group, and the bind's
 * own socket is bound before it allows reuse, so a port that another program holds is still refused.
 */
final class HandshakeLane {

    /** {@code struct sock_filter} codes of {@code <linux/bpf_common.h>}. */
    private static final short BPF_LD_B_ABS = 0x30;

    private static final short BPF_LD_W_LEN = 0x80;
    private static final short BPF_JMP_JEQ_K = 0x15;
    private static final short BPF_JMP_JGE_K = 0x35;
    private static final short BPF_RET_K = 0x06;
    /** Socket indices in the reuseport group, in the order the sockets joined it. */
    static final int DATA_SOCKET = 0;

    static final int LANE_SOCKET = 1;
    /** {@code msg.type} of a transport message (Protocol.MESSAGE_TRANSPORT): its first byte, little-endian. */
    private static final int TRANSPORT_TYPE = 4;
    /** The smallest transport message: a 16-byte header and the 16-byte tag of an empty packet. */
    private static final int TRANSPORT_MINIMUM = 32;
    /** Offset of the transport message's receiver index, whose first byte is its low byte. */
    private static final int RECEIVER_OFFSET = 4;
    /** The tag that steers by type alone. */
    static final int ANY_RECEIVER = -1;
    /** Marks a test's "no" branch before the program's length is known: it goes to the lane's ret, the last. */
    private static final long TO_LANE = -1;

    private HandshakeLane() {}

    /**
     * Opens the lane beside {@code dataFd}, which must already be bound to {@code port}: lets the
     * data socket be shared, binds a second socket to the port and attaches the steering program.
     *
     * @return the lane's own bind: receive only (its sends would leave from the same port)
     * @throws IOException saying which step the kernel refused; {@code dataFd} then allows no reuse
     */
    static LinuxUdpBind open(int dataFd, boolean dualStack, int port, boolean gro) throws IOException {
        int fd = -1;
        try {
            SocketSetup.setInt(dataFd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 1, "SO_REUSEPORT");
            fd = SocketSetup.openUdp(dualStack); // the family the data socket has, so never -1
            SocketSetup.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 1, "SO_REUSEPORT");
            SocketSetup.bindWildcard(fd, dualStack, port);
            SocketSetup.raiseBuffers(fd);
            if (gro) {
                // the same as the data socket: GRO looks a socket up by the flow hash, before steering
                SocketSetup.setInt(fd, SocketCalls.SOL_UDP, SocketCalls.UDP_GRO, 1, "UDP_GRO");
            }
            attachSteering(fd, ANY_RECEIVER);
            int wakeFd = SocketCalls.eventfd(0, SocketCalls.EFD_CLOEXEC | SocketCalls.EFD_NONBLOCK);
            if (wakeFd < 0) {
                throw SocketCalls.error("eventfd", Native.getLastError());
            }
            return new LinuxUdpBind(fd, wakeFd, port, dualStack, gro, "", false, "", null, "");
        } catch (IOException e) {
            if (fd >= 0) {
                SocketCalls.close(fd);
            }
            // alone again: no other socket may join the port
            SocketSetup.trySetInt(dataFd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 0);
            throw e;
        }
    }

    /** What the bind's {@code ioPath()} says of a lane that steers with {@code receiverTag}. */
    static String describe(int receiverTag) {
        String steered = receiverTag == ANY_RECEIVER
                ? "all but transport messages"
                : String.format("all but transport messages to receiver tag 0x%02x", receiverTag);
        return ", handshake lane on (a second socket for " + steered + ", steered by reuseport cBPF)";
    }

    /** What the bind's {@code ioPath()} says where the kernel refused a lane. */
    static String describeRefusal(IOException why) {
        return ", handshake lane off (" + why.getMessage() + ")";
    }

    /**
     * Attaches the program above to the reuseport group of {@code fd} (it applies to the whole group,
     * and replaces the one before).
     *
     * @param receiverTag the low byte of every receiver index of the device, or {@link #ANY_RECEIVER}
     */
    static void attachSteering(int fd, int receiverTag) throws IOException {
        if (receiverTag != ANY_RECEIVER && (receiverTag & ~0xff) != 0) {
            throw new IllegalArgumentException("a receiver tag is one byte, not " + receiverTag);
        }
        long[][] program = steeringProgram(receiverTag);
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
        Memory filters = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            long at = 8L * i;
            filters.setShort(at, (short) program[i][0]);
            filters.setByte(at + 2, (byte) program[i][1]);
            filters.setByte(at + 3, (byte) program[i][2]);
            filters.setInt(at + 4, (int) program[i][3]);
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; } (LP64: the pointer at 8)
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setPointer(8, filters);
        int r = SocketCalls.setsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_ATTACH_REUSEPORT_CBPF, fprog, 16);
        int errno = Native.getLastError();
        Reference.reachabilityFence(filters); // only fprog points at it: its memory must outlive the call
        if (r < 0) {
            throw SocketCalls.error("setsockopt SO_ATTACH_REUSEPORT_CBPF", errno);
        }
    }

    /** The program above as {@code {code, jt, jf, k}} rows; the tag's two rows only with a tag. */
    private static long[][] steeringProgram(int receiverTag) {
        List<long[]> p = new ArrayList<>();
        p.add(new long[] {BPF_LD_W_LEN, 0, 0, 0});
        p.add(new long[] {BPF_JMP_JGE_K, 0, TO_LANE, TRANSPORT_MINIMUM});
        p.add(new long[] {BPF_LD_B_ABS, 0, 0, 0});
        p.add(new long[] {BPF_JMP_JEQ_K, 0, TO_LANE, TRANSPORT_TYPE});
        if (receiverTag != ANY_RECEIVER) {
            p.add(new long[] {BPF_LD_B_ABS, 0, 0, RECEIVER_OFFSET});
            p.add(new long[] {BPF_JMP_JEQ_K, 0, TO_LANE, receiverTag});
        }
        p.add(new long[] {BPF_RET_K, 0, 0, DATA_SOCKET});
        p.add(new long[] {BPF_RET_K, 0, 0, LANE_SOCKET});
        for (int i = 0; i < p.size(); i++) {
            if (p.get(i)[2] == TO_LANE) {
                p.get(i)[2] = p.size() - 1 - (i + 1); // a jump counts the instructions it skips
            }
        }
        return p.toArray(new long[0][]);
    }
}
