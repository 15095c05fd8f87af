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
 * TUN_F_TSO6|TUN_F_USO4|TUN_F_USO6, so that the stack hands out whole TCP bursts and UDP_SEGMENT
 * sends of up to 64 KiB and takes them back (wireguard-go's path since 2023, with USO). The sets are
 * tried in order on the first queue: a kernel before 6.2 refuses the USO bits (EINVAL, as for every
 * bit it does not know), and the set without them is asked next; the set the kernel took is used for
 * every queue. If the kernel refuses the last set too, or IFF_VNET_HDR or the header size, every fd
 * opened so far is closed, which removes the interface, and it is opened again the plain way. {@link
 * TunDevice#ioPath()} tells which path is in use and why: {@code vnet-hdr csum tso4 tso6 uso4 uso6
 * gro}, {@code vnet-hdr csum tso4 tso6 gro (uso refused: <errno text>)} or {@code plain (...)}.
 */
public final class TunOpener {

    private static final String CLONE_DEVICE = "/dev/net/tun";
    /** Partial checksums and TCP segmentation, which every kernel with IFF_VNET_HDR takes. */
    static final int TSO = InterfaceIoctls.TUN_F_CSUM | InterfaceIoctls.TUN_F_TSO4 | InterfaceIoctls.TUN_F_TSO6;
    /** UDP segmentation (Linux 6.2+); the kernel takes only both bits together, and only with CSUM. */
    static final int USO = InterfaceIoctls.TUN_F_USO4 | InterfaceIoctls.TUN_F_USO6;
    /** Every TUNSETOFFLOAD bit this driver can serve: the set asked for first. */
    static final int OFFLOADS = TSO | USO;

    private static final int[] BITS = {
        InterfaceIoctls.TUN_F_CSUM,
        InterfaceIoctls.TUN_F_TSO4,
        InterfaceIoctls.TUN_F_TSO6,
        InterfaceIoctls.TUN_F_USO4,
        InterfaceIoctls.TUN_F_USO6
    };
    private static final String[] BIT_NAMES = {"csum", "tso4", "tso6", "uso4", "uso6"};
    /** What {@link TunDevice#ioPath()} says when the kernel took every offload asked for by default. */
    static final String OFFLOAD_PATH = describe(OFFLOADS);

    private TunOpener() {}

    /** Opens with offloads, falling back to fewer and then to plain packets when the kernel refuses them. */
    public static List<TunDevice> open(String name, int mtu, int queues) throws IOException {
        return open(name, mtu, queues, true);
    }

    /**
     * @param name the interface name; a name with {@code %d} (like {@code wh%d}) or an empty one
     *     lets the kernel choose; {@link TunDevice#name()} gives the actual one
     * @param queues 1 for a plain TUN; more opens IFF_MULTI_QUEUE queues of the same interface
     * @param offloads whether to try the virtio-header path (TSO/USO on read, GRO on write)
     */
    public static List<TunDevice> open(String name, int mtu, int queues, boolean offloads) throws IOException {
        return open(name, mtu, queues, offloads ? new int[] {OFFLOADS, TSO} : new int[0]);
    }

    /**
     * One set of TUNSETOFFLOAD bits, 0 for the plain path; the tests pass bits the kernel does not
     * know, which it refuses (EINVAL), to prove the fallback.
     */
    static List<TunDevice> open(String name, int mtu, int queues, int offloads) throws IOException {
        return open(name, mtu, queues, offloads == 0 ? new int[0] : new int[] {offloads});
    }

    /**
     * @param offloadSets the TUNSETOFFLOAD bit sets to try, in this order, each but the first a
     *     fallback for a kernel that refused the one before; none for the plain path
     */
    static List<TunDevice> open(String name, int mtu, int queues, int[] offloadSets) throws IOException {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, was " + queues);
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 and 65535, was " + mtu);
        }
        if (offloadSets.length == 0) {
            return open(name, mtu, queues, null, "plain (offloads off)");
        }
        try {
            return open(name, mtu, queues, new Negotiation(offloadSets.clone()), null);
        } catch (OffloadsRefused e) {
            return open(name, mtu, queues, null, "plain (offloads refused: " + e.getMessage() + ")");
        }
    }

    /** The kernel said no to IFF_VNET_HDR or to one of the offload ioctls; the fds are closed already. */
    private static final class OffloadsRefused extends IOException {
        private static final long serialVersionUID = 1L;

        OffloadsRefused(String message) {
            super(message);
        }
    }

    /** The offload sets to try and which one the kernel took at the first queue. */
    private static final class Negotiation {
        final int[] sets;
        /** Index of the set in use, -1 before the first queue. */
        int chosen = -1;
        /** The kernel's reason for refusing the first set, when a later one is in use. */
        String firstRefusal;

        Negotiation(int[] sets) {
            this.sets = sets;
        }

        int bits() {
            return sets[chosen];
        }

        String ioPath() {
            String path = describe(bits());
            if (chosen == 0) {
                return path;
            }
            String refused = names(sets[0] & ~bits()).replace("uso4 uso6", "uso");
            return path + " (" + refused + " refused: " + firstRefusal + ")";
        }
    }

    /**
     * @param negotiation the offloads to agree on, null for the plain path
     * @param plainPath what {@link TunDevice#ioPath()} says on the plain path
     */
    private static List<TunDevice> open(String name, int mtu, int queues, Negotiation negotiation, String plainPath)
            throws IOException {
        boolean vnet = negotiation != null;
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
                    setHeaderSize(fds[0], actual);
                    negotiate(fds[0], actual, negotiation);
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
            int offloads = vnet ? negotiation.bits() : 0;
            String ioPath = vnet ? negotiation.ioPath() : plainPath;
            List<TunDevice> devices = new ArrayList<>(queues);
            for (int[] fds : opened) {
                devices.add(new LinuxTunQueue(actual, fds[0], fds[1], fds[2], mtu, offloads, ioPath));
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

    private static void setHeaderSize(int fd, String name) throws IOException {
        Memory size = new Memory(4);
        size.setInt(0, VirtioNetHeader.SIZE);
        if (LibC.ioctl(fd, InterfaceIoctls.TUNSETVNETHDRSZ, size) < 0) {
            throw new OffloadsRefused("TUNSETVNETHDRSZ " + VirtioNetHeader.SIZE + " on " + name + ": "
                    + LibC.describe(Native.getLastError()));
        }
    }

    /**
     * At the first queue, asks for the sets in order until the kernel takes one (a refused
     * TUNSETOFFLOAD changes nothing, so the next set can be asked on the same fd); at the others,
     * asks for that same set.
     *
     * @throws OffloadsRefused when the kernel refused the last set there is to ask
     */
    private static void negotiate(int fd, String name, Negotiation n) throws IOException {
        int from = n.chosen < 0 ? 0 : n.chosen;
        int to = n.chosen < 0 ? n.sets.length - 1 : n.chosen;
        for (int i = from; ; i++) {
            int bits = n.sets[i];
            if (LibC.ioctl(fd, InterfaceIoctls.TUNSETOFFLOAD, (long) bits) >= 0) {
                n.chosen = i;
                return;
            }
            String reason = LibC.describe(Native.getLastError());
            if (i == 0) {
                n.firstRefusal = reason;
            }
            if (i == to) {
                String asked = (bits & ~OFFLOADS) == 0 ? names(bits) : "0x" + Integer.toHexString(bits);
                throw new OffloadsRefused("TUNSETOFFLOAD " + asked + " on " + name + ": " + reason);
            }
        }
    }

    /** The I/O path of the given offload bits, e.g. {@link #OFFLOAD_PATH}. */
    static String describe(int offloads) {
        // the write side coalesces whatever the kernel offloads
        return "vnet-hdr " + names(offloads) + " gro";
    }

    /** The TUNSETOFFLOAD bits by name, separated by spaces, e.g. {@code csum tso4 tso6}; others in hex. */
    static String names(int offloads) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < BITS.length; i++) {
            if ((offloads & BITS[i]) != 0) {
                names.append(names.length() == 0 ? "" : " ").append(BIT_NAMES[i]);
            }
        }
        int other = offloads & ~OFFLOADS;
        if (other != 0) {
            names.append(names.length() == 0 ? "" : " ").append("0x").append(Integer.toHexString(other));
        }
        return names.toString();
    }

    private static int check(int result, String operation) throws IOException {
        if (result < 0) {
            throw Errors.of(operation, Native.getLastError());
        }
        return result;
    }
}
