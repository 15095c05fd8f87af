package dev.wirehaven.wireguard.conn;

import java.io.IOException;

/**
 * A socket of a {@link HandshakeLane}'s reuseport group that nobody reads: the steering program hands
 * it datagrams that the device could only drop, and its filter ({@link SteeringProgram#acceptNothing()})
 * drops each one in the kernel, in the softirq that received it, before it is queued or copied or
 * wakes a thread. The kernel counts every drop at the socket ({@code SO_MEMINFO}); the device reports
 * the count under the reason it would have counted itself. A run of datagrams that UDP receive
 * offload coalesced arrives as one and counts once (only on NICs that coalesce UDP; junk of one flow,
 * in one poll).
 */
final class DropSocket {

    private int fd; // -1 once closed; guarded by this
    private long dropsAtClose; // guarded by this

    private DropSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a drop socket on {@code port}, which a socket of the same family and owner holds with
     * SO_REUSEPORT; it joins that group as its next index.
     *
     * @param gro whether the group's other sockets take UDP receive offload: this one must as well,
     *        because offload picks a socket of the group by the flow hash (before any steering), and a
     *        flow hashed here would otherwise lose it
     */
    static DropSocket open(boolean dualStack, int port, boolean gro) throws IOException {
        int fd = SocketSetup.openUdp(dualStack); // the family the data socket has, so never -1
        try {
            SteeringProgram.acceptNothing().attachAsFilter(fd); // before bind: it never holds a datagram
            SocketSetup.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 1, "SO_REUSEPORT");
            if (gro) {
                SocketSetup.setInt(fd, SocketCalls.SOL_UDP, SocketCalls.UDP_GRO, 1, "UDP_GRO");
            }
            SocketSetup.bindWildcard(fd, dualStack, port);
            return new DropSocket(fd);
        } catch (IOException | RuntimeException e) {
            SocketCalls.close(fd);
            throw e;
        }
    }

    /** The datagrams that the kernel dropped here since the socket opened (also after it closed). */
    synchronized long drops() {
        return fd < 0 ? dropsAtClose : SocketSetup.drops(fd);
    }

    /** Closes the socket, keeping its count. Idempotent. */
    synchronized void close() {
        if (fd >= 0) {
            dropsAtClose = SocketSetup.drops(fd);
            SocketCalls.close(fd);
            fd = -1;
        }
    }
}
