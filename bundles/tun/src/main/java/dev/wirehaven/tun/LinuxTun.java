package dev.wirehaven.tun;

import dev.wirehaven.tun.internal.linux.TunOpener;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Opens Linux TUN interfaces through {@code /dev/net/tun} (JNA, direct mapping). The interface is
 * created in the network namespace of the calling thread, with its MTU set; addresses, routes and
 * the link state are the job of {@link InterfaceConfigurator}.
 *
 * <p>Needs CAP_NET_ADMIN (or root). The interface lives as long as one of its queues is open.
 *
 * <p>Offloads are on unless turned off (the {@code offloads} argument, or {@value #OFFLOADS_PROPERTY}
 * for the opens without it): the queues are opened with virtio headers so that a read
 * may take a whole TCP burst or UDP_SEGMENT send from the kernel (handed out as separate packets by
 * the following reads) and {@link TunDevice#queueWrite}/{@link TunDevice#flushWrites} give them
 * back merged. The packets seen through {@link TunDevice} are the same either way. A kernel that
 * refuses UDP segmentation (before 6.2) gets TCP only, one that refuses more the plain path; {@link
 * TunDevice#ioPath()} says which.
 */
public final class LinuxTun {

    /**
     * System property that turns the offloads of {@link #open(String, int)} and
     * {@link #open(String, int, int)} off: {@code -Dwirehaven.tun.offloads=false} (the plain path, one
     * packet per system call, for comparison or a kernel that misbehaves).
     */
    public static final String OFFLOADS_PROPERTY = "wirehaven.tun.offloads";

    private LinuxTun() {}

    /** Whether the opens without an explicit choice ask for offloads: unless {@value #OFFLOADS_PROPERTY} is false. */
    static boolean offloadsByDefault() {
        return !"false"
                .equalsIgnoreCase(System.getProperty(OFFLOADS_PROPERTY, "true").trim());
    }

    /**
     * Opens a single-queue TUN interface.
     *
     * @param name the interface name (at most 15 bytes); {@code "wh%d"} or {@code ""} lets the
     *     kernel choose, and {@link TunDevice#name()} then tells the actual name
     * @param mtu the MTU to set on the interface
     * @throws IOException with the kernel's reason and what to do (for example missing CAP_NET_ADMIN)
     */
    public static TunDevice open(String name, int mtu) throws IOException {
        return open(name, mtu, 1, offloadsByDefault()).get(0);
    }

    /** Opens a single-queue TUN interface, with offloads or without. */
    public static TunDevice open(String name, int mtu, boolean offloads) throws IOException {
        return open(name, mtu, 1, offloads).get(0);
    }

    /**
     * Opens {@code queues} queues of one multi-queue TUN interface (IFF_MULTI_QUEUE), so that
     * several threads can each read and write their own queue; the kernel spreads outgoing flows over
     * the queues. Closing every queue removes the interface.
     */
    public static List<TunDevice> open(String name, int mtu, int queues) throws IOException {
        return open(name, mtu, queues, offloadsByDefault());
    }

    /**
     * Opens {@code queues} queues of one TUN interface.
     *
     * @param offloads true to move TCP bursts and UDP_SEGMENT sends with virtio headers (TSO/USO/GRO;
     *     falls back to TCP only, then to the plain path, when the kernel refuses), false for one
     *     packet per syscall
     */
    public static List<TunDevice> open(String name, int mtu, int queues, boolean offloads) throws IOException {
        requireLinux();
        try {
            return TunOpener.open(name, mtu, queues, offloads);
        } catch (LinkageError e) { // UnsatisfiedLinkError, or the libc binding's failed static initialiser
            throw new IOException(
                    "cannot load the C library through JNA (" + e.getMessage()
                            + ") — install JNA's native support for this platform (jna.jar includes linux-x86-64 and linux-aarch64)",
                    e);
        }
    }

    private static void requireLinux() throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            throw new IOException("the TUN driver supports Linux only; this is " + System.getProperty("os.name"));
        }
    }
}
