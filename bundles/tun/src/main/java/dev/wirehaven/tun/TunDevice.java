package dev.wirehaven.tun;

import java.io.Closeable;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A layer-3 virtual network interface: each read returns one whole IP packet (IPv4 or IPv6, no
 * packet-information header), each write injects one.
 *
 * <p>Byte arrays rather than buffers because the packet path seals and opens in heap arrays (the
 * JDK's ChaCha20-Poly1305 is fastest and allocates least on heap buffers, see DATAPLANE-COSTS).
 * Reads and writes may run concurrently from different threads.
 */
@ProviderType
public interface TunDevice extends Closeable {

    /** The kernel's name of the interface, for example {@code wg0}. */
    String name();

    /** The interface MTU in bytes. */
    int mtu();

    /**
     * Blocks until a packet is available and copies it into {@code buf} at {@code off}.
     *
     * @return the packet length, or -1 once the device is closed
     * @throws IOException if the device fails; a packet longer than {@code len} is truncated and dropped
     */
    int read(byte[] buf, int off, int len) throws IOException;

    /** Writes one IP packet to the interface, as if it had arrived on the wire. */
    void write(byte[] buf, int off, int len) throws IOException;

    /**
     * Queues one IP packet in the calling thread's batch, to be written by that thread's next
     * {@link #flushWrites()} (or earlier, when the batch is full). The packet is copied: {@code buf}
     * may be reused at once. Packets of one thread keep their order within each flow; a device with
     * offloads merges consecutive TCP segments of a flow into one write. Several threads may queue at
     * once, each into its own batch.
     *
     * <p>The default writes at once.
     *
     * @throws IOException if the packet is too long, or if writing a full batch failed
     * @since 2.2
     */
    default void queueWrite(byte[] buf, int off, int len) throws IOException {
        write(buf, off, len);
    }

    /**
     * Writes the packets that the calling thread queued. Call it when the thread has nothing more at
     * hand (for example its input queue is empty), so that nothing waits in a batch.
     *
     * <p>The default does nothing: the default {@link #queueWrite} wrote at once.
     *
     * @throws IOException if a write failed or the kernel refused packets; the batch is empty afterwards either way
     * @since 2.2
     */
    default void flushWrites() throws IOException {}

    /**
     * Whether the calling thread's next {@link #read} returns a packet that this device already holds
     * (the next segment of a super-packet it split), without a system call and without waiting. A
     * reader that holds work back for a batch may go on collecting while this is true; once it is
     * false, the next read may block, so what was held back must go first.
     *
     * <p>The default says false: every read may wait.
     *
     * @since 2.3
     */
    default boolean hasBufferedPackets() {
        return false;
    }

    /**
     * How packets move between this device and the kernel, for logs and diagnostics: for the Linux
     * TUN {@code "vnet-hdr csum tso4 tso6 uso4 uso6 gro"} (virtio headers, whole TCP and UDP bursts per syscall both
     * ways), {@code "plain (offloads off)"}, or {@code "plain (offloads refused: <reason>)"} when the
     * kernel said no and the device fell back to one packet per syscall.
     *
     * @since 2.2
     */
    default String ioPath() {
        return "plain";
    }

    /** Unblocks readers and releases the device. Idempotent. */
    @Override
    void close() throws IOException;
}
