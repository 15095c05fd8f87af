package dev.wirehaven.tun.internal.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.wirehaven.tun.TunDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates (or attaches to) a TUN interface through {@code /dev/net/tun}: one fd per queue, each
 * attached with {@code TUNSETIFF}, IFF_TUN|IFF_NO_PI so reads and writes are bare IP packets.
 * Everything runs in the network namespace of the calling thread.
 */
public final class TunOpener {

    private static final String CLONE_DEVICE = "/dev/net/tun";

    private TunOpener() {}

    /**
     * @param name the interface name; a name with {@code %d} (like {@code wh%d}) or an empty one
     *     lets the kernel choose; {@link TunDevice#name()} gives the actual one
     * @param queues 1 for a plain TUN; more opens IFF_MULTI_QUEUE queues of the same interface
     */
    public static List<TunDevice> open(String name, int mtu, int queues) throws IOException {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, was " + queues);
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 and 65535, was " + mtu);
        }
        short flags = (short) (InterfaceIoctls.IFF_TUN
                | InterfaceIoctls.IFF_NO_PI
                | (queues > 1 ? InterfaceIoctls.IFF_MULTI_QUEUE : 0));
        List<int[]> opened = new ArrayList<>(); // {tunFd, wakeFd, controlFd}
        try {
            String actual = name;
            for (int i = 0; i < queues; i++) {
                int[] fds = {-1, -1, -1};
                opened.add(fds);
                Memory ifr = InterfaceIoctls.ifreq(actual);
                fds[0] = openQueue(ifr, actual, flags);
                actual = InterfaceIoctls.name(ifr); // the kernel wrote back the name it chose
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
                devices.add(new LinuxTunQueue(actual, fds[0], fds[1], fds[2], mtu));
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

    private static int openQueue(Memory ifr, String name, short flags) throws IOException {
        int fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw Errors.of("open " + CLONE_DEVICE, Native.getLastError());
        }
        ifr.setShort(16, flags);
        if (LibC.ioctl(fd, InterfaceIoctls.TUNSETIFF, ifr) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            throw Errors.of("TUNSETIFF '" + name + "' on " + CLONE_DEVICE, errno);
        }
        return fd;
    }

    private static int check(int result, String operation) throws IOException {
        if (result < 0) {
            throw Errors.of(operation, Native.getLastError());
        }
        return result;
    }
}
