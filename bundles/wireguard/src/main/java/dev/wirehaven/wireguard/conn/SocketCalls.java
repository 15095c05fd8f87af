package dev.wirehaven.wireguard.conn;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * The libc socket calls of {@link LinuxUdpBind}, bound by JNA direct mapping (no allocation, no
 * exception per call; the errno comes from {@link Native#getLastError()} because EAGAIN ends every
 * burst). 64-bit Linux only: {@code size_t} is declared {@code long}, and the structure layouts in
 * {@link LinuxUdpBind} are those of the LP64 ABI (x86-64, aarch64).
 *
 * <p>Constants are the values of the Linux UAPI headers ({@code <sys/socket.h>}, {@code <netinet/in.h>},
 * {@code <linux/udp.h>}, {@code <asm-generic/errno.h>}) under their C names.
 */
final class SocketCalls {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    /** Several sockets on one port, same owner: a reuseport group (Linux 3.9). */
    static final int SO_REUSEPORT = 15;

    /** A classic BPF program that filters what the socket receives (Linux 2.2). */
    static final int SO_ATTACH_FILTER = 26;

    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_MARK = 36;
    /** A classic BPF program that picks the socket of a reuseport group for each datagram (Linux 4.5). */
    static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** The socket's memory counters, {@code u32[SK_MEMINFO_VARS]} (Linux 3.9). */
    static final int SO_MEMINFO = 55;
    /** {@code <linux/sock_diag.h>}: the index of the drop count in SO_MEMINFO's array. */
    static final int SK_MEMINFO_DROPS = 8;

    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    /** {@code <linux/udp.h>}: the UDP socket options live at level SOL_UDP (= IPPROTO_UDP). */
    static final int SOL_UDP = 17;
    /** Generic segmentation on send: one buffer of equal-size datagrams, the size in a cmsg (Linux 4.18). */
    static final int UDP_SEGMENT = 103;
    /** Receive offload: several datagrams of one flow in one buffer, their size in a cmsg (Linux 5.0). */
    static final int UDP_GRO = 104;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;

    static {
        Native.register(SocketCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private SocketCalls() {}

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer address, int length);

    static native int getsockname(int fd, Pointer address, Pointer length);

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    static native int recvmmsg(int fd, Pointer messages, int count, int flags, Pointer timeout);

    static native int sendmmsg(int fd, Pointer messages, int count, int flags);

    static native int poll(Pointer fds, long count, int timeout);

    static native int eventfd(int initial, int flags);

    static native long write(int fd, Pointer buf, long count);

    static native int close(int fd);

    private static native String strerror(int errno);

    /** Whether this platform is one whose structure layouts {@link LinuxUdpBind} knows. */
    static boolean supported() {
        return Platform.isLinux() && Native.POINTER_SIZE == 8;
    }

    /** The libc message for an errno. */
    static String describe(int errno) {
        String text;
        synchronized (SocketCalls.class) { // strerror may share a static buffer for unknown values
            text = strerror(errno);
        }
        return text == null ? "errno " + errno : text;
    }

    static IOException error(String operation, int errno) {
        return new IOException(operation + ": " + describe(errno));
    }
}
