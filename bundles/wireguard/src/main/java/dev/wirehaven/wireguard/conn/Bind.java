package dev.wirehaven.wireguard.conn;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The UDP side of a device: one socket (dual-stack where the host has IPv6) that carries every
 * peer's datagrams. The only platform seam on the outer side; {@code MemoryBind}
 * (wirehaven-wireguard-testing) replaces it in tests.
 */
@ProviderType
public interface Bind extends Closeable {

    /** The local UDP port actually bound (useful when 0 was asked for). */
    int port();

    /**
     * Blocks until a datagram arrives and puts it into {@code dst} from its position.
     *
     * @return the sender, or {@code null} once the bind is closed
     */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** Sends the bytes between position and limit of {@code src} to {@code to}. */
    void send(ByteBuffer src, InetSocketAddress to) throws IOException;

    /**
     * Blocks until at least one datagram arrives, then puts up to {@code dsts.length} of them into
     * {@code dsts} (each from its position, as {@link #receive(ByteBuffer)}) and their senders into
     * {@code sources}. One thread receives at a time. This default receives one; binds that move
     * several per system call override it.
     *
     * @return how many datagrams arrived (at least 1), or -1 once the bind is closed
     * @since 2.1
     */
    default int receive(ByteBuffer[] dsts, InetSocketAddress[] sources) throws IOException {
        InetSocketAddress from = receive(dsts[0]);
        if (from == null) {
            return -1;
        }
        sources[0] = from;
        return 1;
    }

    /**
     * Sends {@code srcs[0..count)} to {@code to}, in that order, each as one datagram. This default
     * sends them one by one; binds that move several per system call override it.
     *
     * @since 2.1
     */
    default void send(ByteBuffer[] srcs, int count, InetSocketAddress to) throws IOException {
        for (int i = 0; i < count; i++) {
            send(srcs[i], to);
        }
    }

    /**
     * Marks every packet that the bind sends with {@code mark} (SO_MARK), so that policy routing can
     * keep the tunnel's own UDP traffic out of the tunnel; 0 removes the mark.
     *
     * @return false if this kind of bind cannot mark packets (in-memory binds)
     * @throws IOException if it can but the system refused (the mark needs CAP_NET_ADMIN)
     * @since 2.1
     */
    default boolean markPackets(int mark) throws IOException {
        return false;
    }

    /** The mark last set with {@link #markPackets}, 0 if none. @since 2.1 */
    default int packetMark() {
        return 0;
    }

    /**
     * How this bind moves datagrams, for the operator: system calls, batch sizes, offloads, and
     * why a faster path is not in use.
     *
     * @since 2.1
     */
    default String ioPath() {
        return "one datagram per call";
    }

    /**
     * A second receive queue on the same port for handshake messages and cookie replies (and, where
     * the bind cannot drop junk itself, for every datagram that is not a transport message), which the
     * device reads on a thread of its own, below the data's priority; or null where the bind has one
     * queue. It is read with
     * {@link #receive(ByteBuffer[], InetSocketAddress[])} like the bind itself, one thread at a time,
     * and closes with the bind. Steering is an optimization, not a filter: a reader must handle any
     * message on either queue.
     *
     * @since 2.2
     */
    default Bind handshakeLane() {
        return null;
    }

    /**
     * Tells a bind with a {@linkplain #handshakeLane() handshake lane} that every receiver index its
     * device hands out has {@code tag} as its low byte (the first of the index's four bytes on the
     * wire, little-endian), so that transport-shaped datagrams for any other index, which the device
     * can only drop, leave the data's queue (to the lane, or dropped in the kernel and counted by
     * {@link #unknownIndexDrops()}): a flood that begins each datagram with a 4 then no longer shares
     * the data's queue. The device calls it after each bind opens; the steering it replaces
     * sent every transport message to the data's queue.
     *
     * @param tag 0-255
     * @return false where the bind has no lane to steer to
     * @throws IOException if the kernel refused the new steering (the old one stays)
     * @since 2.3
     */
    default boolean steerByReceiverTag(int tag) throws IOException {
        return false;
    }

    /**
     * Datagrams that the kernel dropped at the bind's sockets since they opened, most because a
     * receive queue was full while its reader was behind; 0 where the bind cannot tell.
     *
     * @since 2.2
     */
    default long receiveQueueDrops() {
        return 0;
    }

    /**
     * Datagrams that the kernel dropped at the bind by their first bytes, before any reader saw them,
     * because the device would only drop them as malformed: too short for a message type, or of none
     * of the protocol's types; 0 where the bind does not filter. Kept after the bind closes.
     *
     * @since 2.4
     */
    default long malformedDrops() {
        return 0;
    }

    /**
     * Transport messages that the kernel dropped at the bind, before any reader saw them, because
     * their receiver index lacks the tag given to {@link #steerByReceiverTag} and so is none of the
     * device's; 0 where the bind does not filter. Kept after the bind closes.
     *
     * @since 2.4
     */
    default long unknownIndexDrops() {
        return 0;
    }

    /** Unblocks receivers and releases the socket. Idempotent. */
    @Override
    void close() throws IOException;
}
