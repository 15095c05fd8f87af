package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Bind} that moves many datagrams per system call, on a socket of its own opened through
 * JNA (64-bit Linux):
 * <ul>
 * <li>receive: {@code recvmmsg(2)} of up to {@value #BATCH} datagrams, and with UDP receive offload
 * (UDP_GRO, Linux 5.0) the kernel hands one buffer of up to 64 KiB holding a run of equal-size
 * datagrams of one flow, which is cut here at the size that its control message gives;</li>
 * <li>send: {@code sendmmsg(2)} of the whole batch, and with generic segmentation (UDP_SEGMENT,
 * Linux 4.18) each run of equal-size datagrams to the endpoint (the last may be shorter) leaves as
 * one buffer that the kernel (or the NIC) cuts, up to {@value #MAX_SEGMENTS} datagrams;</li>
 * <li>where asked for, a {@link HandshakeLane}: a second socket on the port that the kernel hands every
 * handshake message, so that they queue apart from data, and sockets that let the kernel drop what
 * can be no message for the device before anyone reads it.</li>
 * </ul>
 * This is what took wireguard-go from one system call per packet to one per burst (its
 * {@code conn/bind_std.go} after 2023); the cost per datagram of {@code DatagramChannel}, about
 * 1.4-1.7 µs of which most is the system call (DATAPLANE-COSTS), becomes a copy.
 *
 * <p>Either offload can be refused by the kernel (old kernels, or a device without checksum offload
 * for GSO, which then fails with EIO): the bind then says so in {@link #ioPath()} and goes on without
 * it. {@link BindFactory#system()} falls back to {@link UdpBind} where this bind cannot open at all.
 *
 * <p>Like {@link UdpBind}: dual-stack on {@code [::]:port} (IPv4 peers reported as plain IPv4), or
 * IPv4 only on a host without IPv6; socket buffers of {@value UdpBind#SOCKET_BUFFER_BYTES} bytes,
 * past the sysctl cap where the process has CAP_NET_ADMIN (on its own fd, so no JVM option is needed).
 *
 * <p><b>Threads.</b> One thread receives at a time (the device's reader of this bind); any number
 * send, each through native buffers of its own. The fd is non-blocking: a call tries first and only
 * on EAGAIN waits in {@code poll(2)} on the socket and an eventfd, which {@link #close()} makes
 * readable; the fds are released once the last call in flight has returned.
 */
public final class LinuxUdpBind implements Bind {

    /** Messages per recvmmsg/sendmmsg call. */
    public static final int BATCH = 64;
    /** Datagrams in one UDP_SEGMENT buffer: UDP_MAX_SEGMENTS of kernels before 6.9 (later ones take 128). */
    static final int MAX_SEGMENTS = 64;
    /** UDP payload of one segmented buffer: 64 KiB less the UDP header and an IPv6 header. */
    static final int MAX_SEGMENTED_BYTES = 65535 - 8 - 40;
    /** The largest datagram (and the largest GRO buffer) that the kernel delivers. */
    static final int MAX_DATAGRAM = 65535;
    /** Receive buffers with GRO: each may hold a whole coalesced run. */
    static final int GRO_SLOTS = 16;

    private static final int CLOSED = 1;
    private static final int USER = 2;

    private static final ThreadLocal<SendBuffers> SENDERS = ThreadLocal.withInitial(SendBuffers::new);

    private final int fd;
    private final int wakeFd;
    private final int port;
    private final boolean dualStack;
    private final boolean gro;
    private final String groState;
    private volatile boolean gso;
    private volatile String gsoState;
    private volatile int mark;
    /** The sockets for handshakes and for junk, or null (see {@link HandshakeLane}). */
    private final HandshakeLane lane;
    /** What {@link #ioPath()} says of the lane: on, off and why, or nothing where none was asked for. */
    private volatile String laneState;
    /** Bit 0: closed. Bits 1..31: calls in flight (in units of {@link #USER}). */
    private final AtomicInteger state = new AtomicInteger();
    /** The receiving thread's buffers, made at its first receive. */
    private ReceiveBuffers receiver;

    LinuxUdpBind(
            int fd,
            int wakeFd,
            int port,
            boolean dualStack,
            boolean gro,
            String groState,
            boolean gso,
            String gsoState,
            HandshakeLane lane,
            String laneState) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.port = port;
        this.dualStack = dualStack;
        this.gro = gro;
        this.groState = groState;
        this.gso = gso;
        this.gsoState = gsoState;
        this.lane = lane;
        this.laneState = laneState;
    }

    /** Opens the bind on all addresses, with the offloads that the kernel grants. */
    public static LinuxUdpBind open(int port) throws IOException {
        return open(port, true);
    }

    /**
     * Opens the bind on all addresses.
     *
     * @param offloads false to use neither UDP_GRO nor UDP_SEGMENT (batches only)
     * @throws BindException if the port is in use
     * @throws IOException if this platform or kernel cannot give such a socket
     */
    public static LinuxUdpBind open(int port, boolean offloads) throws IOException {
        return open(port, offloads, false);
    }

    /**
     * Opens the bind on all addresses.
     *
     * @param offloads false to use neither UDP_GRO nor UDP_SEGMENT (batches only)
     * @param handshakeLane true to receive everything but transport messages on a second socket,
     *        {@link #handshakeLane()}, where the kernel can steer them (else the bind goes on with one
     *        socket and {@link #ioPath()} says why)
     * @throws BindException if the port is in use
     * @throws IOException if this platform or kernel cannot give such a socket
     * @since 2.2
     */
    public static LinuxUdpBind open(int port, boolean offloads, boolean handshakeLane) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("UDP port out of range 0-65535: " + port);
        }
        if (!SocketCalls.supported()) {
            throw new IOException("recvmmsg/sendmmsg binds need 64-bit Linux");
        }
        int fd = SocketSetup.openUdp(true);
        boolean dualStack = fd >= 0;
        if (!dualStack) { // no IPv6 in this kernel (ipv6.disable=1)
            fd = SocketSetup.openUdp(false);
            if (fd < 0) {
                throw new IOException("this kernel has neither IPv6 nor IPv4 UDP sockets");
            }
        }
        int wakeFd = -1;
        try {
            int actualPort = SocketSetup.bindWildcard(fd, dualStack, port);
            SocketSetup.raiseBuffers(fd);
            boolean gro = false;
            String groState = "GRO off (not asked for)";
            boolean gso = false;
            String gsoState = "GSO off (not asked for)";
            if (offloads) {
                int r = SocketSetup.trySetInt(fd, SocketCalls.SOL_UDP, SocketCalls.UDP_GRO, 1);
                gro = r == 0;
                groState = gro ? "GRO on (" + GRO_SLOTS + " x 64 KiB)" : "GRO off (" + SocketCalls.describe(r) + ")";
                int g = SocketSetup.tryGetInt(fd, SocketCalls.SOL_UDP, SocketCalls.UDP_SEGMENT);
                gso = g == 0;
                gsoState = gso
                        ? "GSO on (up to " + MAX_SEGMENTS + " segments)"
                        : "GSO off (" + SocketCalls.describe(g) + ")";
            }
            wakeFd = SocketCalls.eventfd(0, SocketCalls.EFD_CLOEXEC | SocketCalls.EFD_NONBLOCK);
            if (wakeFd < 0) {
                throw SocketCalls.error("eventfd", Native.getLastError());
            }
            HandshakeLane lane = null;
            String laneState = "";
            if (handshakeLane) {
                try {
                    lane = HandshakeLane.open(fd, dualStack, actualPort, gro);
                    laneState = HandshakeLane.describe(SteeringProgram.ANY_RECEIVER);
                } catch (IOException e) {
                    laneState = HandshakeLane.describeRefusal(e);
                }
            }
            return new LinuxUdpBind(fd, wakeFd, actualPort, dualStack, gro, groState, gso, gsoState, lane, laneState);
        } catch (IOException | RuntimeException e) {
            SocketCalls.close(fd);
            if (wakeFd >= 0) {
                SocketCalls.close(wakeFd);
            }
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** Whether the socket carries IPv6 as well as IPv4. */
    public boolean isDualStack() {
        return dualStack;
    }

    @Override
    public String ioPath() {
        return "udp: recvmmsg/sendmmsg x" + BATCH + ", " + groState + ", " + gsoState + laneState;
    }

    @Override
    public Bind handshakeLane() {
        return lane == null ? null : lane.reader();
    }

    @Override
    public boolean steerByReceiverTag(int tag) throws IOException {
        if (lane == null || !lane.steer(tag)) {
            return false;
        }
        laneState = HandshakeLane.describe(tag);
        return true;
    }

    /** Attaches {@code program} to this socket's reuseport group; false once the bind is closed. */
    boolean attachGroupProgram(SteeringProgram program) throws IOException {
        if (!enter()) {
            return false;
        }
        try {
            program.attachToGroup(fd);
            return true;
        } finally {
            exit();
        }
    }

    @Override
    public long malformedDrops() {
        return lane == null ? 0 : lane.malformedDrops();
    }

    @Override
    public long unknownIndexDrops() {
        return lane == null ? 0 : lane.unknownIndexDrops();
    }

    /** The datagrams that the kernel dropped at this bind's queues (both, with a lane) since they opened. */
    @Override
    public long receiveQueueDrops() {
        long lanes = lane == null ? 0 : lane.receiveQueueDrops();
        if (!enter()) {
            return lanes;
        }
        try {
            return SocketSetup.drops(fd) + lanes;
        } finally {
            exit();
        }
    }

    // ---- receive ----

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        ByteBuffer[] one = {dst};
        InetSocketAddress[] from = new InetSocketAddress[1];
        return receive(one, from) < 0 ? null : from[0];
    }

    @Override
    public int receive(ByteBuffer[] dsts, InetSocketAddress[] sources) throws IOException {
        if (!enter()) {
            return -1;
        }
        try {
            ReceiveBuffers r = receiver;
            if (r == null) {
                r = new ReceiveBuffers(gro, dualStack, maxRemaining(dsts));
                receiver = r;
            }
            int k = 0;
            while (k == 0) {
                if (!r.hasMore() && !fill(r)) {
                    return -1;
                }
                k = r.handOut(dsts, sources);
            }
            return k;
        } finally {
            exit();
        }
    }

    /** One recvmmsg into the receiver's buffers, waiting while there is nothing; false once closed. */
    private boolean fill(ReceiveBuffers r) throws IOException {
        r.prepare();
        while (true) {
            int n = SocketCalls.recvmmsg(fd, r.messages, r.slots, 0, null);
            if (n > 0) {
                r.received(n);
                return true;
            }
            int errno = Native.getLastError();
            if (n == 0 || errno == SocketCalls.EAGAIN) {
                if (!await(r.pollFds, SocketCalls.POLLIN)) {
                    return false;
                }
            } else if (errno != SocketCalls.EINTR) {
                throw SocketCalls.error("recvmmsg on UDP port " + port, errno);
            }
        }
    }

    private static int maxRemaining(ByteBuffer[] dsts) {
        int max = 0;
        for (ByteBuffer b : dsts) {
            max = Math.max(max, b.remaining());
        }
        return max;
    }

    // ---- send ----

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        ByteBuffer[] one = SENDERS.get().one; // the thread's own, so that a single send allocates nothing
        one[0] = src;
        try {
            send(one, 1, to);
        } finally {
            one[0] = null;
        }
    }

    /**
     * Sends the datagrams in order; each buffer is consumed (position = limit) once it has left, so
     * that after an exception the caller can tell which ones did not.
     */
    @Override
    public void send(ByteBuffer[] srcs, int count, InetSocketAddress to) throws IOException {
        if (!enter()) {
            throw new IOException("UDP port " + port + " is closed");
        }
        try {
            SendBuffers s = SENDERS.get();
            int nameLength = s.codec(dualStack).encode(to, s.name, 0);
            int i = 0;
            while (i < count) {
                int end = s.pack(srcs, i, count, gso, nameLength);
                transmit(s, srcs);
                i = end;
            }
        } finally {
            exit();
        }
    }

    /** Sends the messages that {@link Sender#pack} prepared, and consumes their buffers. */
    private void transmit(SendBuffers s, ByteBuffer[] srcs) throws IOException {
        int sent = 0;
        while (sent < s.count) {
            int n = SocketCalls.sendmmsg(fd, s.messageAt[sent], s.count - sent, 0);
            if (n > 0) {
                s.consume(srcs, sent, sent + n);
                sent += n;
                continue;
            }
            int errno = Native.getLastError();
            if (errno == SocketCalls.EAGAIN) {
                if (!await(s.pollFds, SocketCalls.POLLOUT)) {
                    throw new IOException("UDP port " + port + " was closed during a send");
                }
            } else if (errno == SocketCalls.EINTR) {
                continue;
            } else if (s.segments[sent] > 1 && segmentationRefused(errno)) {
                sendOneByOne(s, srcs, sent);
                s.consume(srcs, sent, sent + 1);
                sent++;
            } else {
                throw SocketCalls.error("sendmmsg from UDP port " + port, errno);
            }
        }
    }

    /**
     * Whether a send failed because of segmentation: EIO where the outgoing device cannot checksum a
     * segmented buffer (GSO is then switched off for good, as wireguard-go does), EINVAL or EMSGSIZE
     * where a segment is larger than the path allows (only that buffer goes unsegmented).
     */
    private boolean segmentationRefused(int errno) {
        if (errno == SocketCalls.EIO) {
            gso = false;
            gsoState = "GSO off (the kernel refused a segmented send: " + SocketCalls.describe(errno) + ")";
            return true;
        }
        return errno == SocketCalls.EINVAL || errno == SocketCalls.EMSGSIZE;
    }

    /** Sends the datagrams of segmented message {@code m} one message each. */
    private void sendOneByOne(SendBuffers s, ByteBuffer[] srcs, int m) throws IOException {
        int segments = s.segments[m];
        int index = s.firstBuffer[m];
        long offset = s.dataOffset[m];
        for (int k = 0; k < segments; k++) {
            int length = srcs[index + k].remaining();
            s.single(offset, length);
            while (SocketCalls.sendmmsg(fd, s.spare, 1, 0) != 1) {
                int errno = Native.getLastError();
                if (errno == SocketCalls.EAGAIN) {
                    if (!await(s.pollFds, SocketCalls.POLLOUT)) {
                        throw new IOException("UDP port " + port + " was closed during a send");
                    }
                } else if (errno != SocketCalls.EINTR) {
                    throw SocketCalls.error("sendmmsg from UDP port " + port, errno);
                }
            }
            srcs[index + k].position(srcs[index + k].limit());
            offset += length;
        }
    }

    // ---- marks, close ----

    @Override
    public boolean markPackets(int mark) throws IOException {
        if (!enter()) {
            throw new IOException("UDP port " + port + " is closed");
        }
        try {
            SocketSetup.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_MARK, mark, "SO_MARK " + mark);
            this.mark = mark;
            return true;
        } finally {
            exit();
        }
    }

    @Override
    public int packetMark() {
        return mark;
    }

    /** The receive buffer size that the kernel granted, in bytes (Linux books twice what it reports usable). */
    public int receiveBufferSize() throws IOException {
        return socketOption(SocketCalls.SO_RCVBUF) / 2;
    }

    /** The send buffer size that the kernel granted, in bytes. */
    public int sendBufferSize() throws IOException {
        return socketOption(SocketCalls.SO_SNDBUF) / 2;
    }

    private int socketOption(int name) throws IOException {
        if (!enter()) {
            throw new IOException("UDP port " + port + " is closed");
        }
        try {
            return SocketSetup.getInt(fd, name);
        } finally {
            exit();
        }
    }

    /** Closes the bind and its lane's sockets. */
    @Override
    public void close() {
        if (lane != null) {
            lane.close();
        }
        if (!enter()) {
            return;
        }
        try {
            int before = state.getAndUpdate(s -> s | CLOSED);
            if ((before & CLOSED) == 0) {
                Memory one = new Memory(8);
                one.setLong(0, 1);
                SocketCalls.write(wakeFd, one, 8);
            }
        } finally {
            exit();
        }
    }

    @Override
    public String toString() {
        return "LinuxUdpBind[" + (dualStack ? "[::]:" : "0.0.0.0:") + port + "]";
    }

    /** Waits until the socket is ready for {@code events}; false if the bind was closed meanwhile. */
    private boolean await(Memory fds, short events) throws IOException {
        // struct pollfd { int fd; short events; short revents; } x 2
        fds.setInt(0, fd);
        fds.setShort(4, events);
        fds.setShort(6, (short) 0);
        fds.setInt(8, wakeFd);
        fds.setShort(12, SocketCalls.POLLIN);
        fds.setShort(14, (short) 0);
        int r = SocketCalls.poll(fds, 2, -1);
        if (r < 0) {
            int errno = Native.getLastError();
            if (errno == SocketCalls.EINTR) {
                return (state.get() & CLOSED) == 0;
            }
            throw SocketCalls.error("poll on UDP port " + port, errno);
        }
        return fds.getShort(14) == 0 && (state.get() & CLOSED) == 0;
    }

    private boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + USER)) {
                return true;
            }
        }
    }

    private void exit() {
        if (state.addAndGet(-USER) == CLOSED) {
            SocketCalls.close(fd);
            SocketCalls.close(wakeFd);
        }
    }
}
