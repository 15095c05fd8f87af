package dev.wirehaven.tun.internal.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code struct ifreq} ioctls of the driver. An ifreq is 40 bytes on 64-bit Linux: the
 * interface name (IFNAMSIZ = 16, NUL-terminated) at 0, then a union whose {@code short} flags or
 * {@code int} MTU sit at 16.
 */
final class InterfaceIoctls {

    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final long TUNSETIFF = 0x400454caL;
    static final long SIOCGIFMTU = 0x8921L;
    static final long SIOCSIFMTU = 0x8922L;
    static final short IFF_TUN = 0x0001;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_NO_PI = 0x1000;
    /** Every packet is preceded by a struct virtio_net_hdr (linux/if_tun.h). */
    static final short IFF_VNET_HDR = 0x4000;
    /** _IOW('T', 208, unsigned int): the offloads the TUN accepts from the stack; the argument is the value itself. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** _IOW('T', 216, int): the size of the virtio header; the argument points to an int. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /**
     * TUNSETOFFLOAD bits: the stack may hand out packets with a partial checksum, TCP super-packets
     * over IPv4 and IPv6, and (Linux 6.2+) UDP super-packets (gso_type UDP_L4). The kernel turns USO
     * on only when both USO bits come with CSUM, and refuses bits it does not know with EINVAL.
     */
    static final int TUN_F_CSUM = 0x01;

    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;

    private InterfaceIoctls() {}

    static Memory ifreq(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException(
                    "interface name '" + name + "' is longer than " + (IFNAMSIZ - 1) + " bytes");
        }
        Memory ifr = new Memory(IFREQ_SIZE);
        ifr.clear();
        ifr.write(0, bytes, 0, bytes.length);
        return ifr;
    }

    static String name(Memory ifr) {
        byte[] bytes = ifr.getByteArray(0, IFNAMSIZ);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    /** @return the MTU, or -1 if the kernel refused (the caller keeps what it knew) */
    static int getMtu(int socketFd, String name) {
        Memory ifr = ifreq(name);
        return LibC.ioctl(socketFd, SIOCGIFMTU, ifr) < 0 ? -1 : ifr.getInt(16);
    }

    static void setMtu(int socketFd, String name, int mtu) throws IOException {
        Memory ifr = ifreq(name);
        ifr.setInt(16, mtu);
        if (LibC.ioctl(socketFd, SIOCSIFMTU, ifr) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EINVAL) {
                throw new IOException("set MTU " + mtu + " on " + name + ": " + LibC.describe(errno)
                        + " — the MTU must be between 68 (576 for IPv6) and 65535");
            }
            throw Errors.of("set MTU " + mtu + " on " + name, errno);
        }
    }
}
