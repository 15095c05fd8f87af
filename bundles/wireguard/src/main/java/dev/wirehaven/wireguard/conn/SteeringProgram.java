package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic BPF programs of a {@link HandshakeLane}: the one that picks, for each datagram, the
 * socket of the port's reuseport group that receives it, from the datagram's first bytes (the UDP
 * payload; whitepaper §5.4 for the fields), and the one that lets a {@link DropSocket} receive nothing.
 *
 * <pre>
 *   ld len                       A = length of the UDP payload
 *   jge #4, next, malformed      shorter than a message type?
 *   ld [0]                       A = the first four bytes, big-endian
 *   and #0xffffff                the three reserved bytes after the type
 *   jeq #0, next, malformed      zero, as the protocol sends them?
 *   ldb [0]                      A = msg.type
 *   jeq #4, transport, next      MESSAGE_TRANSPORT?
 *   jgt #3, malformed, next      none of the protocol's types
 *   jge #1, lane, malformed      initiation, response, cookie reply; or type 0
 * transport:
 *   ld len
 *   jge #32, next, malformed     shorter than a header and the tag of an empty packet?
 *   ldb [4]                      A = the receiver index's low byte (little-endian)   } once the device
 *   jeq #tag, data, foreign      one of the device's indices?                        } gave its tag
 * data:      ret #0              the bind's own socket, index 0 of the group (bound first)
 * lane:      ret #1              the lane's reader
 * malformed: ret #2              a DropSocket: what the device would count as MALFORMED
 * foreign:   ret #3              a DropSocket: what the device would count as UNKNOWN_INDEX
 * </pre>
 *
 * Handshake messages are steered by type alone, not by their one size each: with UDP receive offload
 * a run of equal datagrams of one flow arrives as one buffer, whose length the program sees, and the
 * device cuts it; transport lengths only grow that way.
 */
final class SteeringProgram {

    /** Socket indices in the reuseport group, in the order the sockets joined it. */
    static final int DATA = 0;

    static final int LANE = 1;
    static final int MALFORMED = 2;
    static final int FOREIGN_INDEX = 3;

    /** The tag that steers transport messages by type alone. */
    static final int ANY_RECEIVER = -1;

    /** {@code struct sock_filter} codes of {@code <linux/bpf_common.h>}. */
    private static final int LD_W_ABS = 0x20;

    private static final int LD_B_ABS = 0x30;
    private static final int LD_W_LEN = 0x80;
    private static final int ALU_AND_K = 0x54;
    private static final int JMP_JEQ_K = 0x15;
    private static final int JMP_JGT_K = 0x25;
    private static final int JMP_JGE_K = 0x35;
    private static final int RET_K = 0x06;

    /** {@code msg.type} values (Protocol.MESSAGE_*), one byte on the wire followed by three zeros. */
    private static final int INITIATION = 1;

    private static final int COOKIE_REPLY = 3;
    private static final int TRANSPORT = 4;
    private static final int TYPE_SIZE = 4;
    private static final int RESERVED_BYTES = 0xffffff;
    /** The smallest transport message: a 16-byte header and the 16-byte tag of an empty packet. */
    private static final int TRANSPORT_MINIMUM = 32;
    /** Offset of the transport message's receiver index, whose first byte is its low byte. */
    private static final int RECEIVER_OFFSET = 4;

    private static final String NEXT = "";

    /** {@code {code, jt, jf, k}} rows, jumps resolved. */
    private final long[][] rows;

    private SteeringProgram(long[][] rows) {
        this.rows = rows;
    }

    /**
     * The program of a group whose drop sockets have not joined yet: the data socket or the lane,
     * never an index the group does not have (the kernel would then pick by the flow hash).
     */
    static SteeringProgram dataOrLane() {
        Assembler a = new Assembler();
        a.op(LD_W_LEN, 0);
        a.jump(JMP_JGE_K, TRANSPORT_MINIMUM, NEXT, "lane");
        a.op(LD_B_ABS, 0);
        a.jump(JMP_JEQ_K, TRANSPORT, "data", "lane");
        a.label("data").op(RET_K, DATA);
        a.label("lane").op(RET_K, LANE);
        return a.assemble();
    }

    /**
     * The program above, for a group of all four sockets.
     *
     * @param receiverTag the low byte of every receiver index of the device, or {@link #ANY_RECEIVER}
     */
    static SteeringProgram fourWays(int receiverTag) {
        if (receiverTag != ANY_RECEIVER && (receiverTag & ~0xff) != 0) {
            throw new IllegalArgumentException("a receiver tag is one byte, not " + receiverTag);
        }
        Assembler a = new Assembler();
        a.op(LD_W_LEN, 0);
        a.jump(JMP_JGE_K, TYPE_SIZE, NEXT, "malformed");
        a.op(LD_W_ABS, 0);
        a.op(ALU_AND_K, RESERVED_BYTES);
        a.jump(JMP_JEQ_K, 0, NEXT, "malformed");
        a.op(LD_B_ABS, 0);
        a.jump(JMP_JEQ_K, TRANSPORT, "transport", NEXT);
        a.jump(JMP_JGT_K, COOKIE_REPLY, "malformed", NEXT);
        a.jump(JMP_JGE_K, INITIATION, "lane", "malformed");
        a.label("transport").op(LD_W_LEN, 0);
        a.jump(JMP_JGE_K, TRANSPORT_MINIMUM, NEXT, "malformed");
        if (receiverTag != ANY_RECEIVER) {
            a.op(LD_B_ABS, RECEIVER_OFFSET);
            a.jump(JMP_JEQ_K, receiverTag, "data", "foreign");
        }
        a.label("data").op(RET_K, DATA);
        a.label("lane").op(RET_K, LANE);
        a.label("malformed").op(RET_K, MALFORMED);
        a.label("foreign").op(RET_K, FOREIGN_INDEX);
        return a.assemble();
    }

    /** A socket filter that keeps no byte of any datagram: the kernel drops each and counts it. */
    static SteeringProgram acceptNothing() {
        return new Assembler().op(RET_K, 0).assemble();
    }

    /** Attaches this program to the reuseport group of {@code fd} (for all its sockets; it replaces the one before). */
    void attachToGroup(int fd) throws IOException {
        attach(fd, SocketCalls.SO_ATTACH_REUSEPORT_CBPF, "SO_ATTACH_REUSEPORT_CBPF");
    }

    /** Attaches this program as the receive filter of {@code fd} alone. */
    void attachAsFilter(int fd) throws IOException {
        attach(fd, SocketCalls.SO_ATTACH_FILTER, "SO_ATTACH_FILTER");
    }

    private void attach(int fd, int option, String name) throws IOException {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
        Memory filters = new Memory(8L * rows.length);
        for (int i = 0; i < rows.length; i++) {
            long at = 8L * i;
            filters.setShort(at, (short) rows[i][0]);
            filters.setByte(at + 2, (byte) rows[i][1]);
            filters.setByte(at + 3, (byte) rows[i][2]);
            filters.setInt(at + 4, (int) rows[i][3]);
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; } (LP64: the pointer at 8)
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) rows.length);
        fprog.setPointer(8, filters);
        int r = SocketCalls.setsockopt(fd, SocketCalls.SOL_SOCKET, option, fprog, 16);
        int errno = Native.getLastError();
        Reference.reachabilityFence(filters); // only fprog points at it: its memory must outlive the call
        if (r < 0) {
            throw SocketCalls.error("setsockopt " + name, errno);
        }
    }

    /** Rows with jumps to labels, which are resolved once every label is placed. */
    private static final class Assembler {
        private final List<long[]> rows = new ArrayList<>();
        private final List<String[]> targets = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        Assembler op(int code, int k) {
            return jump(code, k, NEXT, NEXT);
        }

        Assembler jump(int code, int k, String whenTrue, String whenFalse) {
            rows.add(new long[] {code, 0, 0, Integer.toUnsignedLong(k)});
            targets.add(new String[] {whenTrue, whenFalse});
            return this;
        }

        Assembler label(String name) {
            labels.put(name, rows.size());
            return this;
        }

        SteeringProgram assemble() {
            for (int i = 0; i < rows.size(); i++) {
                for (int branch = 0; branch < 2; branch++) {
                    String target = targets.get(i)[branch];
                    if (!target.equals(NEXT)) {
                        // a jump counts the instructions it skips, forward only
                        rows.get(i)[1 + branch] = labels.get(target) - (i + 1);
                    }
                }
            }
            return new SteeringProgram(rows.toArray(new long[0][]));
        }
    }
}
