package dev.wirehaven.wireguard.conn;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The real {@link Bind}: one blocking {@code DatagramChannel} on {@code [::]:port}, which carries both
 * IPv6 and IPv4 (as IPv4-mapped addresses, reported here as plain IPv4); on a host without IPv6 it
 * falls back to {@code 0.0.0.0:port}.
 *
 * <p>Socket buffers are raised to {@value #SOCKET_BUFFER_BYTES} bytes where the kernel allows
 * (net.core.rmem_max / wmem_max cap the request; with CAP_NET_ADMIN and the JVM option of
 * {@link #setFwmark} the caps are overridden, as wireguard-go does), because bursts of a few hundred
 * 1.4 KB datagrams overflow the default ~200 KB before the receiver thread is scheduled.
 *
 * <p>Closing from another thread makes a blocked {@link #receive} return {@code null}. As with any
 * interruptible NIO channel, interrupting a thread that is blocked in it closes the bind.
 */
public final class UdpBind implements Bind {

    /** The socket buffer size asked for, in each direction. */
    public static final int SOCKET_BUFFER_BYTES = 8 << 20;

    private final DatagramChannel channel;
    private final int port;
    private final boolean dualStack;
    private volatile int fwmark;
    /** Why the batched bind was not used, when {@link BindFactory#system()} fell back to this one. */
    volatile String fallbackReason;

    private UdpBind(DatagramChannel channel, boolean dualStack) throws IOException {
        this.channel = channel;
        this.dualStack = dualStack;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /**
     * Opens the bind on all addresses.
     *
     * @param port the UDP port, or 0 for any free port ({@link #port()} tells which)
     * @throws java.net.BindException if the port is in use
     */
    public static UdpBind open(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("UDP port out of range 0-65535: " + port);
        }
        DatagramChannel channel = null;
        boolean dualStack = true;
        try {
            channel = openChannel(StandardProtocolFamily.INET6);
            channel.bind(new InetSocketAddress(wildcard(true), port));
        } catch (UnsupportedOperationException | SocketException e) {
            // no IPv6 in this JVM or kernel (e.g. -Djava.net.preferIPv4Stack=true, ipv6.disable=1)
            if (e instanceof java.net.BindException) {
                closeQuietly(channel);
                throw inUse(port, (java.net.BindException) e);
            }
            closeQuietly(channel);
            dualStack = false;
            channel = openChannel(StandardProtocolFamily.INET);
            try {
                channel.bind(new InetSocketAddress(wildcard(false), port));
            } catch (java.net.BindException inUse) {
                closeQuietly(channel);
                throw inUse(port, inUse);
            }
        }
        try {
            channel.configureBlocking(true);
            raiseBuffers(channel);
            return new UdpBind(channel, dualStack);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
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
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        SocketAddress from;
        try {
            from = channel.receive(dst);
        } catch (ClosedChannelException closed) { // includes AsynchronousCloseException: closed while blocked
            return null;
        }
        if (from == null) {
            return null; // only a non-blocking channel returns null, which this one is not
        }
        // the JDK already turns IPv4-mapped senders (::ffff:a.b.c.d) into Inet4Address (UdpBindTest proves
        // it), so a peer's endpoint compares equal however it arrived, without a per-packet check here
        return (InetSocketAddress) from;
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        if (!dualStack && to.getAddress() instanceof Inet6Address) {
            throw new NoRouteToHostException(
                    "cannot send to " + to + ": this bind is IPv4-only (the host has no IPv6)");
        }
        channel.send(src, to);
    }

    /**
     * Marks every packet that the socket sends with {@code mark} (SO_MARK), so policy routing can keep
     * the tunnel's own UDP traffic out of the tunnel; 0 removes the mark. Linux only.
     *
     * @throws IOException if the JVM was not started with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
     *     (the message says so), or the process lacks CAP_NET_ADMIN
     */
    public void setFwmark(int mark) throws IOException {
        NativeSockets.setInt(channel, NativeSockets.SOL_SOCKET, NativeSockets.SO_MARK, mark, "SO_MARK " + mark);
        this.fwmark = mark;
    }

    /** The mark last set with {@link #setFwmark}, 0 if none. */
    public int fwmark() {
        return fwmark;
    }

    @Override
    public boolean markPackets(int mark) throws IOException {
        setFwmark(mark);
        return true;
    }

    @Override
    public int packetMark() {
        return fwmark;
    }

    @Override
    public String ioPath() {
        String why = fallbackReason;
        return "udp: DatagramChannel, one datagram per system call" + (why == null ? "" : " (" + why + ")");
    }

    /** The receive buffer size that the kernel granted, in bytes (the JDK reports the usable half of what Linux books). */
    public int receiveBufferSize() throws IOException {
        return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** The send buffer size that the kernel granted, in bytes. */
    public int sendBufferSize() throws IOException {
        return channel.getOption(StandardSocketOptions.SO_SNDBUF);
    }

    /** The underlying channel, for socket options that this class does not cover. */
    DatagramChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "UdpBind[" + (dualStack ? "[::]:" : "0.0.0.0:") + port + "]";
    }

    private static DatagramChannel openChannel(ProtocolFamily family) throws IOException {
        return DatagramChannel.open(family);
    }

    private static void raiseBuffers(DatagramChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        } catch (IOException | RuntimeException e) {
            return; // best effort: the defaults still work, only bursts suffer
        }
        forceBuffersPastTheSysctlCap(channel);
    }

    /**
     * With CAP_NET_ADMIN, SO_RCVBUFFORCE / SO_SNDBUFFORCE ignore net.core.rmem_max / wmem_max. Tried
     * only when the JVM already grants access to the fd (no warning, no failure otherwise) and JNA is
     * present.
     */
    private static void forceBuffersPastTheSysctlCap(DatagramChannel channel) {
        try {
            if (channel.getOption(StandardSocketOptions.SO_RCVBUF) >= SOCKET_BUFFER_BYTES
                    && channel.getOption(StandardSocketOptions.SO_SNDBUF) >= SOCKET_BUFFER_BYTES) {
                return;
            }
            if (!Object.class.getModule().isOpen("sun.nio.ch", UdpBind.class.getModule())) {
                return;
            }
            NativeSockets.setInt(
                    channel,
                    NativeSockets.SOL_SOCKET,
                    NativeSockets.SO_RCVBUFFORCE,
                    SOCKET_BUFFER_BYTES,
                    "SO_RCVBUFFORCE");
            NativeSockets.setInt(
                    channel,
                    NativeSockets.SOL_SOCKET,
                    NativeSockets.SO_SNDBUFFORCE,
                    SOCKET_BUFFER_BYTES,
                    "SO_SNDBUFFORCE");
        } catch (IOException | RuntimeException | LinkageError e) {
            // best effort: without the capability, the JVM option or JNA, the sysctl-capped size stays
        }
    }

    private static InetAddress wildcard(boolean v6) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
    }

    /** The error of a port in use, for this bind and {@link LinuxUdpBind}: what to do, and how to find who holds it. */
    static java.net.BindException inUse(int port, java.net.BindException cause) {
        java.net.BindException e = new java.net.BindException("UDP port " + port
                + " is already in use: choose another ListenPort, or stop the program that holds it (ss -ulpn sport = :"
                + port + ")");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first exception is the one to report
            }
        }
    }
}
