package dev.wirehaven.tun.internal.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.tun.internal.offload.VirtioNetHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates (or attaches to) a TUN interface through {@code /dev/net/tun}: one fd per queue, each
 * attached with {@code TUNSETIFF}, IFF_TUN|IFF_NO_PI so reads and writes are bare IP packets.
 * Everything runs in the network namespace of the calling thread.
 *
 * <p><b>Offloads.</b> Asked for, the queues are opened with IFF_VNET_HDR as well, the virtio header
 * size set to 10 ({@code TUNSETVNETHDRSZ}) and {@code TUNSETOFFLOAD} given TUN_F_CSUM|TUN_F_TSO4|
 * TUN_F_TSO6, so that the stack hands out whole TCP bursts of up to 64 KiB and takes them back
 * (wireguard-go's path since 2023). If the kernel refuses any of it, every fd opened so far is
 * closed, which removes the interface, and it is opened again the plain way; {@link
 * TunDevice#ioPath()} tells which path is in use and why. UDP segmentation offload (TUN_F_USO4/6)
 * is not asked for: nothing here would split such packets.
 */
public final class TunOpener {

    private static final String CLONE_DEVICE = "/dev/net/tun";
    private static final int OFFLOADS =
            InterfaceIoctls.TUN_F_CSUM | InterfaceIoctls.TUN_F_TSO4 | InterfaceIoctls.TUN_F_TSO6;
    /** What {@link TunDevice#ioPath()} says with the offloads asked for by default. */
    static final String OFFLOAD_PATH = describe(OFFLOADS);

    private TunOpener() {}

    /** Opens with offloads, falling back to plain packets when the kernel refuses them. */
    public static List<TunDevice> open(String name, int mtu, int queues) throws IOException {
        return open(name, mtu, queues, true);
    }

    /**
     * @param name the interface name; a name with {@code %d} (like {@code wh%d}) or an empty one
     *     lets the kernel choose; {@link TunDevice#name()} gives the actual one
     * @param queues 1 for a plain TUN; more opens IFF_MULTI_QUEUE queues of the same interface
     * @param offloads whether to try the virtio-header path (TSO on read, GRO on write)
     */
    public static List<TunDevice> open(String name, int mtu, int queues, boolean offloads) throws IOException {
        return open(name, mtu, queues, offloads ? OFFLOADS : 0);
    }

    /**
     * @param offloads the TUNSETOFFLOAD bits, 0 for the plain path; the tests pass bits the kernel
     *     does not know, which it refuses (EINVAL), to prove the fallback
     */
    static List<TunDevice> open(String name, int mtu, int queues, int offloads) throws IOException {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, was " + queues);
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 and 65535, was " + mtu);
        }
        if (offloads == 0) {
            return open(name, mtu, queues, 0, "plain (offloads off)");
        }
        try {
            return open(name, mtu, queues, offloads, describe(offloads));
        } catch (OffloadsRefused e) {
            return open(name, mtu, queues, 0, "plain (offloads refused: " + e.getMessage() + ")");
        }
    }

    /** The kernel said no to IFF_VNET_HDR or to one of the offload ioctls; the fds are closed already. */
    private static final class OffloadsRefused extends IOException {
        private static final long serialVersionUID = 1L;

        OffloadsRefused(String message) {
            super(message);
        }
    }

    private static List<TunDevice> open(String name, int mtu, int queues, int offloads, String ioPath)
            throws IOException {
        boolean vnet = offloads != 0;
        short flags = (short) (InterfaceIoctls.IFF_TUN
                | InterfaceIoctls.IFF_NO_PI
                | (vnet ? InterfaceIoctls.IFF_VNET_HDR : 0)
                | (queues > 1 ? InterfaceIoctls.IFF_MULTI_QUEUE : 0));
        List<int[]> opened = new ArrayList<>(); // {tunFd, wakeFd, controlFd}
        try {
            String actual = name;
            for (int i = 0; i < queues; i++) {
                int[] fds = {-1, -1, -1};
                opened.add(fds);
                Memory ifr = InterfaceIoctls.ifreq(actual);
                fds[0] = openQueue(ifr, actual, flags, vnet);
                actual = InterfaceIoctls.name(ifr); // the kernel wrote back the name it chose
                if (vnet) {
                    enableOffloads(fds[0], actual, offloads);
                }
                fds[1] = check(LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK), "eventfd");
                fds[2] = check(
                        LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0),
                        "socket(AF_INET, SOCK_DGRAM) for interface ioctls");
                int fl = check(LibC.fcntl(fds[0], LibC.F_GETFL, 0), "fcntl(F_GETFL) on the TUN fd");
                check(
                        LibC.fcntl(fds[0], LibC.F_SETFL, fl | LibC.O_NONBLOCK),
                        "fcntl(F_SETFL, O_NONBLOCK) on the TUN fd");
            }
            InterfaceIoctls.setMtu(opened.get(0)[2], actual, mtu);
            List<TunDevice> devices = new ArrayList<>(queues);
            for (int[] fds : opened) {
                devices.add(new LinuxTunQueue(actual, fds[0], fds[1], fds[2], mtu, vnet, ioPath));
            }
            return devices;
        } catch (IOException | RuntimeException e) {
            for (int[] fds : opened) {
                for (int fd : fds) {
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
            }
            throw e;
        }
    }

    private static int openQueue(Memory ifr, String name, short flags, boolean vnet) throws IOException {
        int fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw Errors.of("open " + CLONE_DEVICE, Native.getLastError());
        }
        ifr.setShort(16, flags);
        if (LibC.ioctl(fd, InterfaceIoctls.TUNSETIFF, ifr) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            if (vnet) {
                // perhaps only the virtio header was refused: the plain attempt tells (and reports
                // the error in full if it was something else, like a name in use)
                throw new OffloadsRefused("TUNSETIFF with IFF_VNET_HDR: " + LibC.describe(errno));
            }
            throw Errors.of("TUNSETIFF '" + name + "' on " + CLONE_DEVICE, errno);
        }
        return fd;
    }

    private static void enableOffloads(int fd, String name, int offloads) throws IOException {
        Memory size = new Memory(4);
        size.setInt(0, VirtioNetHeader.SIZE);
        if (LibC.ioctl(fd, InterfaceIoctls.TUNSETVNETHDRSZ, size) < 0) {
            throw new OffloadsRefused("TUNSETVNETHDRSZ " + VirtioNetHeader.SIZE + " on " + name + ": "
                    + LibC.describe(Native.getLastError()));
        }
        if (LibC.ioctl(fd, InterfaceIoctls.TUNSETOFFLOAD, (long) offloads) < 0) {
            String asked = offloads == OFFLOADS ? "csum tso4 tso6" : "0x" + Integer.toHexString(offloads);
            throw new OffloadsRefused(
                    "TUNSETOFFLOAD " + asked + " on " + name + ": " + LibC.describe(Native.getLastError()));
        }
    }

    /** The I/O path of the given offload bits, e.g. {@link #OFFLOAD_PATH}. */
    static String describe(int offloads) {
        StringBuilder path = new StringBuilder("vnet-hdr");
        if ((offloads & InterfaceIoctls.TUN_F_CSUM) != 0) {
            path.append(" csum");
        }
        if ((offloads & InterfaceIoctls.TUN_F_TSO4) != 0) {
            path.append(" tso4");
        }
        if ((offloads & InterfaceIoctls.TUN_F_TSO6) != 0) {
            path.append(" tso6");
        }
        int other = offloads & ~OFFLOADS;
        if (other != 0) {
            path.append(" 0x").append(Integer.toHexString(other));
        }
        return path.append(" gro").toString(); // the write side coalesces whatever the kernel offloads
    }

    private static int check(int result, String operation) throws IOException {
        if (result < 0) {
            throw Errors.of(operation, Native.getLastError());
        }
        return result;
    }
}
