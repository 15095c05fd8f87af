package dev.wirehaven.tun;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.wirehaven.tun.internal.linux.LibC;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket that sends with UDP_SEGMENT (Linux 4.18+): one {@code sendto} hands the kernel a
 * buffer that it sends as datagrams of the segment size each (the last may be shorter), as one GSO
 * packet as far as the device allows. The JDK has no such option, so this is libc through JNA
 * (direct mapping, test code only). Created in the network namespace of the calling thread.
 */
final class SegmentingUdpSocket implements AutoCloseable {

    static {
        Native.register(SegmentingUdpSocket.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;

    private static native int socket(int domain, int type, int protocol);

    private static native int setsockopt(int fd, int level, int name, int[] value, int length);

    private static native long sendto(int fd, byte[] buf, long len, int flags, byte[] address, int addressLength);

    private final int fd;

    private SegmentingUdpSocket(int fd) {
        this.fd = fd;
    }

    /** A socket of the family of {@code to} whose sends are cut into datagrams of {@code segmentSize} bytes. */
    static SegmentingUdpSocket open(InetSocketAddress to, int segmentSize) throws IOException {
        int family = to.getAddress() instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
        int fd = socket(family, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket: " + LibC.describe(Native.getLastError()));
        }
        if (setsockopt(fd, SOL_UDP, UDP_SEGMENT, new int[] {segmentSize}, 4) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            throw new IOException("setsockopt UDP_SEGMENT " + segmentSize + ": " + LibC.describe(errno));
        }
        return new SegmentingUdpSocket(fd);
    }

    /** Sends {@code buf[0, len)} to {@code to}; the kernel cuts it into datagrams. */
    void send(byte[] buf, int len, InetSocketAddress to) throws IOException {
        byte[] address = sockaddr(to);
        if (sendto(fd, buf, len, 0, address, address.length) != len) {
            throw new IOException("sendto " + to + " (" + len + " bytes): " + LibC.describe(Native.getLastError()));
        }
    }

    /** {@code struct sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28): family in host order, port in network order. */
    private static byte[] sockaddr(InetSocketAddress to) {
        byte[] ip = to.getAddress().getAddress();
        boolean v4 = ip.length == 4;
        ByteBuffer b = ByteBuffer.allocate(v4 ? 16 : 28);
        b.order(ByteOrder.nativeOrder()).putShort((short) (v4 ? LibC.AF_INET : LibC.AF_INET6));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) to.getPort());
        if (v4) {
            b.put(ip);
        } else {
            b.putInt(0).put(ip); // flow info, address; scope id 0
        }
        return b.array();
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
