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

    /** Unblocks readers and releases the device. Idempotent. */
    @Override
    void close() throws IOException;
}
