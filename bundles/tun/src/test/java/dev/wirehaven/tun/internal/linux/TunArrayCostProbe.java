package dev.wirehaven.tun.internal.linux;

import com.sun.jna.Native;
import dev.wirehaven.tun.InterfaceConfigurator;
import dev.wirehaven.tun.NetworkNamespace;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/**
 * Not a unit test: a measurement, run by hand as root, that decides how LinuxTunQueue moves bytes
 * between the caller's {@code byte[]} and the kernel.
 *
 * <pre>
 *   java -cp target/classes:target/test-classes:$JNA_JAR dev.wirehaven.tun.internal.linux.TunArrayCostProbe
 * </pre>
 *
 * Variants, 1420-byte IPv4 packets, one thread, in a throw-away namespace:
 * <ul>
 * <li>write, native buffer + copy: LinuxTunQueue.write (per-thread JNA Memory, copy, write(int, Pointer, long))
 * <li>write, array: direct-mapped write(int, byte[], long) on the same fd
 * <li>read, native buffer + copy: LinuxTunQueue.read
 * <li>read, array: direct-mapped read(int, byte[], long), with a 64 KiB and with a 1500-byte array
 * </ul>
 * Reads drain a queue that a socket filled beforehand (txqueuelen raised), so no sender competes for
 * the CPU during the timed part. Allocation comes from ThreadMXBean.
 */
public final class TunArrayCostProbe {

    private static final int PACKET = 1420;
    private static final int BATCH = 8000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private TunArrayCostProbe() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (NetworkNamespace ns = NetworkNamespace.create("wh-cost")) {
            LinuxTunQueue tun = (LinuxTunQueue)
                    ns.run(() -> TunOpener.open("whcost0", PACKET, 1, false).get(0));
            ns.ipIn("link", "set", "whcost0", "txqueuelen", Integer.toString(BATCH + 100));
            InterfaceConfigurator.inNamespace(ns.name(), "whcost0").addAddress("10.9.0.1/24");
            InterfaceConfigurator.inNamespace(ns.name(), "whcost0").up();
            DatagramChannel sender = ns.run(DatagramChannel::open);
            InetAddress local = InetAddress.getByName("10.9.0.1");
            InetAddress far = InetAddress.getByName("10.9.0.2");
            byte[] packet = udpPacket(far, local, PACKET);

            System.out.printf(Locale.ROOT, "JDK %s, JNA %s%n", System.getProperty("java.version"), Native.VERSION);
            for (int r = 1; r <= rounds; r++) {
                report(r, "write, native buffer + copy", measure(() -> tun.write(packet, 0, packet.length)));
                report(r, "write, byte[] direct-mapped", measure(() -> {
                    if (LibC.write(tun.fd(), packet, packet.length) < 0) {
                        throw new IllegalStateException("write: " + LibC.describe(Native.getLastError()));
                    }
                }));
                drain(tun);
                report(r, "read, native buffer + copy", measureReads(tun, sender, far, true, 65535));
                report(r, "read, byte[65535] direct-mapped", measureReads(tun, sender, far, false, 65535));
                report(r, "read, byte[1500] direct-mapped", measureReads(tun, sender, far, false, 1500));
            }
            tun.close();
            sender.close();
        }
    }

    interface Op {
        void run() throws Exception;
    }

    /** @return {ns per op, bytes allocated per op} */
    private static double[] measure(Op op) throws Exception {
        long deadline = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 256; i++) {
                op.run();
            }
        }
        long ops = 0;
        long tid = Thread.currentThread().getId();
        long alloc0 = THREADS.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        long end = t0 + 3_000_000_000L;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                op.run();
            }
            ops += 256;
            now = System.nanoTime();
        } while (now < end);
        long alloc = THREADS.getThreadAllocatedBytes(tid) - alloc0;
        return new double[] {(now - t0) / (double) ops, alloc / (double) ops};
    }

    private static double[] measureReads(
            LinuxTunQueue tun, DatagramChannel sender, InetAddress far, boolean viaQueue, int bufferSize)
            throws Exception {
        byte[] buf = new byte[bufferSize];
        ByteBuffer payload = ByteBuffer.allocateDirect(PACKET - 28);
        InetSocketAddress to = new InetSocketAddress(far, 9);
        long tid = Thread.currentThread().getId();
        long totalReads = 0;
        long totalAlloc = 0;
        long totalNanos = 0;
        for (int round = 0; round < 60; round++) {
            drain(tun);
            for (int i = 0; i < BATCH; i++) {
                payload.clear();
                sender.send(payload, to);
            }
            long alloc0 = THREADS.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            int reads = 0;
            while (true) {
                long n;
                if (viaQueue) {
                    n = tun.read(buf, 0, buf.length); // blocks when empty: stop before that
                    reads++;
                    if (reads == BATCH) {
                        break;
                    }
                } else {
                    n = LibC.read(tun.fd(), buf, buf.length);
                    if (n < 0) {
                        break;
                    }
                    reads++;
                }
            }
            long t = System.nanoTime() - t0;
            long a = THREADS.getThreadAllocatedBytes(tid) - alloc0;
            if (round >= 20) { // the first rounds are warm-up
                totalReads += reads;
                totalNanos += t;
                totalAlloc += a;
            }
        }
        return new double[] {totalNanos / (double) totalReads, totalAlloc / (double) totalReads};
    }

    private static void drain(LinuxTunQueue tun) {
        byte[] buf = new byte[65535];
        while (LibC.read(tun.fd(), buf, buf.length) >= 0) {
            // discard
        }
    }

    private static void report(int round, String variant, double[] result) {
        System.out.printf(
                Locale.ROOT, "round %d  %-30s %7.3f us/op  %6.1f B/op%n", round, variant, result[0] / 1000, result[1]);
    }

    private static byte[] udpPacket(InetAddress src, InetAddress dst, int total) {
        ByteBuffer p = ByteBuffer.allocate(total);
        p.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 1)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .put(src.getAddress())
                .put(dst.getAddress());
        p.putShort((short) 5555)
                .putShort((short) 9)
                .putShort((short) (total - 20))
                .putShort((short) 0);
        byte[] b = p.array();
        long sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int c = (int) (~sum & 0xffff);
        b[10] = (byte) (c >>> 8);
        b[11] = (byte) c;
        return b;
    }
}
