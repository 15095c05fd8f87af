package dev.wirehaven.wireguard.conn;

import com.sun.jna.Native;
import java.io.IOException;

/**
 * The sockets that share a {@link LinuxUdpBind}'s port with its own: a reader for handshake messages
 * and cookie replies, and two {@link DropSocket}s for datagrams that the device could only drop. The
 * four form a reuseport group whose {@link SteeringProgram} reads each datagram's first bytes and
 * picks the socket:
 *
 * <pre>
 *   index 0  the bind's own socket   transport messages for the device's indices
 *   index 1  the lane's reader       initiations, responses, cookie replies
 *   index 2  a drop socket           no message type of the protocol, or too short: MALFORMED
 *   index 3  a drop socket           transport messages for indices that the device cannot have
 *                                    (their low byte is not its tag): UNKNOWN_INDEX
 * </pre>
 *
 * Index 3 takes its share once the device has said which tag its indices carry
 * ({@link Bind#steerByReceiverTag}); before that every transport message goes to the data socket.
 *
 * <p><b>Why.</b> Under a flood of junk and forged initiations, junk and the tunnel's data share one
 * receive queue; once the reader falls behind (on a busy host it is not scheduled for tens of
 * milliseconds), the kernel drops from the full queue whatever comes next, data included, and TCP
 * inside the tunnel halves its window for each loss. With the lane, what is shaped like a handshake
 * fills only the lane's queue, whose overflow the kernel drops before any copy (counted:
 * {@link LinuxUdpBind#receiveQueueDrops()}), and the device reads the lane on a thread of lower
 * priority, so that handshakes get the CPU that data leaves. What cannot be a message for the device
 * at all costs it nothing: the kernel drops it in the softirq that received it, without a copy, a
 * wake-up or a read (the datagrams that the lane's reader still takes cost a system call's share and
 * a copy each; in a flood of a quarter each of junk, forged transport messages, and initiations with
 * a wrong and a right MAC1, half of them). The kernel's WireGuard keeps handshakes apart from data
 * the same way: they go to a queue and a workqueue of their own while data moves in the network
 * stack's softirq.
 *
 * <p>Steering is only an optimization: both readers dispatch every message by its type, so a
 * datagram on the other socket (where the kernel falls back to the flow hash) is still handled. Only
 * sockets of the same user can join a reuseport group, and the bind's own socket is bound before it
 * allows reuse, so a port that another program holds is still refused.
 */
final class HandshakeLane {

    private final LinuxUdpBind reader;
    private final DropSocket malformed;
    private final DropSocket unknownIndex;

    private HandshakeLane(LinuxUdpBind reader, DropSocket malformed, DropSocket unknownIndex) {
        this.reader = reader;
        this.malformed = malformed;
        this.unknownIndex = unknownIndex;
    }

    /**
     * Opens the lane beside {@code dataFd}, which must already be bound to {@code port}: lets the
     * data socket be shared, binds the lane's reader and then its drop sockets to the port, and
     * steers among them.
     *
     * @throws IOException saying which step the kernel refused; {@code dataFd} then allows no reuse
     */
    static HandshakeLane open(int dataFd, boolean dualStack, int port, boolean gro) throws IOException {
        int fd = -1;
        LinuxUdpBind reader = null;
        DropSocket malformed = null;
        DropSocket unknownIndex = null;
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
            // data or lane only while the drop sockets join: an index the group lacks means the flow hash
            SteeringProgram.dataOrLane().attachToGroup(fd);
            int wakeFd = SocketCalls.eventfd(0, SocketCalls.EFD_CLOEXEC | SocketCalls.EFD_NONBLOCK);
            if (wakeFd < 0) {
                throw SocketCalls.error("eventfd", Native.getLastError());
            }
            reader = new LinuxUdpBind(fd, wakeFd, port, dualStack, gro, "", false, "", null, "");
            malformed = DropSocket.open(dualStack, port, gro);
            unknownIndex = DropSocket.open(dualStack, port, gro);
            SteeringProgram.fourWays(SteeringProgram.ANY_RECEIVER).attachToGroup(fd);
            return new HandshakeLane(reader, malformed, unknownIndex);
        } catch (IOException | RuntimeException e) {
            if (reader != null) {
                reader.close();
            } else if (fd >= 0) {
                SocketCalls.close(fd);
            }
            if (malformed != null) {
                malformed.close();
            }
            if (unknownIndex != null) {
                unknownIndex.close();
            }
            // alone again: no other socket may join the port
            SocketSetup.trySetInt(dataFd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 0);
            throw e;
        }
    }

    /** The lane's reader: receive only (its sends would leave from the same port). */
    LinuxUdpBind reader() {
        return reader;
    }

    /**
     * Steers transport messages whose receiver index does not have {@code receiverTag} as its low
     * byte to the drop socket of unknown indices.
     *
     * @return false if the lane is closed
     * @throws IOException if the kernel refused the program (the one before stays)
     */
    boolean steer(int receiverTag) throws IOException {
        return reader.attachGroupProgram(SteeringProgram.fourWays(receiverTag));
    }

    /** Datagrams that the kernel dropped at the lane's reader because its queue was full. */
    long receiveQueueDrops() {
        return reader.receiveQueueDrops();
    }

    /** Datagrams of no message type (or too short for one) that the kernel dropped. */
    long malformedDrops() {
        return malformed.drops();
    }

    /** Transport messages for indices without the device's tag that the kernel dropped. */
    long unknownIndexDrops() {
        return unknownIndex.drops();
    }

    void close() {
        reader.close();
        malformed.close();
        unknownIndex.close();
    }

    /** What the bind's {@code ioPath()} says of a lane that steers with {@code receiverTag}. */
    static String describe(int receiverTag) {
        String foreign = receiverTag == SteeringProgram.ANY_RECEIVER
                ? ""
                : String.format(" and transport messages to indices without receiver tag 0x%02x", receiverTag);
        return ", handshake lane on (a second socket for handshake messages; datagrams of no message type" + foreign
                + " dropped in the kernel, counted; steered by reuseport cBPF)";
    }

    /** What the bind's {@code ioPath()} says where the kernel refused a lane. */
    static String describeRefusal(IOException why) {
        return ", handshake lane off (" + why.getMessage() + ")";
    }
}
