package dev.wirehaven.wireguard.conn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;

/**
 * How {@link LinuxUdpBind} sets up and asks about a socket of its own: the wildcard address, the
 * buffer sizes, integer options, and the kernel's drop count. Each call takes the fd; none keeps
 * state.
 */
final class SocketSetup {

    /** SO_MEMINFO's array: SK_MEMINFO_VARS counters of 4 bytes (9 since Linux 4.7; older kernels give fewer). */
    private static final int MEMINFO_BYTES = 9 * 4;

    private SocketSetup() {}

    /**
     * A new non-blocking UDP socket: IPv6 and dual-stack (IPV6_V6ONLY off, IPv4 peers as mapped
     * addresses), or IPv4.
     *
     * @return its fd, or -1 where the kernel lacks the family (IPv6 with {@code ipv6.disable=1})
     */
    static int openUdp(boolean v6) throws IOException {
        int type = SocketCalls.SOCK_DGRAM | SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC;
        int fd = SocketCalls.socket(v6 ? SocketCalls.AF_INET6 : SocketCalls.AF_INET, type, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == SocketCalls.EAFNOSUPPORT) {
                return -1;
            }
            throw SocketCalls.error(v6 ? "socket(AF_INET6, SOCK_DGRAM)" : "socket(AF_INET, SOCK_DGRAM)", errno);
        }
        if (v6) {
            try {
                setInt(fd, SocketCalls.IPPROTO_IPV6, SocketCalls.IPV6_V6ONLY, 0, "IPV6_V6ONLY 0");
            } catch (IOException e) {
                SocketCalls.close(fd);
                throw e;
            }
        }
        return fd;
    }

    /** Binds {@code fd} to the wildcard address ({@code [::]} or {@code 0.0.0.0}) and returns the port it got. */
    static int bindWildcard(int fd, boolean v6, int port) throws IOException {
        Memory address = new Memory(SocketAddressCodec.SOCKADDR_IN6_SIZE);
        address.clear();
        int length = SocketAddressCodec.wildcard(v6, port, address);
        if (SocketCalls.bind(fd, address, length) < 0) {
            int errno = Native.getLastError();
            if (errno == SocketCalls.EADDRINUSE) {
                throw UdpBind.inUse(port, null);
            }
            throw SocketCalls.error("bind UDP port " + port, errno);
        }
        Memory length2 = new Memory(4);
        length2.setInt(0, SocketAddressCodec.SOCKADDR_IN6_SIZE);
        address.clear();
        if (SocketCalls.getsockname(fd, address, length2) < 0) {
            throw SocketCalls.error("getsockname", Native.getLastError());
        }
        return SocketAddressCodec.port(address);
    }

    /** SO_RCVBUFFORCE/SO_SNDBUFFORCE where permitted (CAP_NET_ADMIN), else as much as the sysctl caps allow. */
    static void raiseBuffers(int fd) {
        if (trySetInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUFFORCE, UdpBind.SOCKET_BUFFER_BYTES) != 0) {
            trySetInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUF, UdpBind.SOCKET_BUFFER_BYTES);
        }
        if (trySetInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUFFORCE, UdpBind.SOCKET_BUFFER_BYTES) != 0) {
            trySetInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUF, UdpBind.SOCKET_BUFFER_BYTES);
        }
    }

    static void setInt(int fd, int level, int name, int value, String what) throws IOException {
        int errno = trySetInt(fd, level, name, value);
        if (errno != 0) {
            String hint = errno == 1 /* EPERM */ ? " — needs CAP_NET_ADMIN (run as root or grant the capability)" : "";
            throw new IOException("setsockopt " + what + ": " + SocketCalls.describe(errno) + hint);
        }
    }

    /** @return 0, or the errno */
    static int trySetInt(int fd, int level, int name, int value) {
        Memory v = new Memory(4);
        v.setInt(0, value);
        return SocketCalls.setsockopt(fd, level, name, v, 4) < 0 ? Native.getLastError() : 0;
    }

    /** @return 0 if the option exists, or the errno */
    static int tryGetInt(int fd, int level, int name) {
        Memory v = new Memory(4);
        Memory len = new Memory(4);
        len.setInt(0, 4);
        return SocketCalls.getsockopt(fd, level, name, v, len) < 0 ? Native.getLastError() : 0;
    }

    /** The value of an integer option at SOL_SOCKET. */
    static int getInt(int fd, int name) throws IOException {
        Memory v = new Memory(4);
        Memory len = new Memory(4);
        len.setInt(0, 4);
        if (SocketCalls.getsockopt(fd, SocketCalls.SOL_SOCKET, name, v, len) < 0) {
            throw SocketCalls.error("getsockopt", Native.getLastError());
        }
        return v.getInt(0);
    }

    /**
     * The datagrams that the kernel dropped at this socket since it was opened, mostly because its
     * receive queue was full ({@code sk_drops}); 0 where the kernel does not say.
     */
    static long drops(int fd) {
        Memory v = new Memory(MEMINFO_BYTES);
        v.clear();
        Memory len = new Memory(4);
        len.setInt(0, MEMINFO_BYTES);
        if (SocketCalls.getsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_MEMINFO, v, len) < 0
                || len.getInt(0) < (SocketCalls.SK_MEMINFO_DROPS + 1) * 4) {
            return 0;
        }
        return Integer.toUnsignedLong(v.getInt(SocketCalls.SK_MEMINFO_DROPS * 4L));
    }
}
