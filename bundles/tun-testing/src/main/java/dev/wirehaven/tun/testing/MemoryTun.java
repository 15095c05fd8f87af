package dev.wirehaven.tun.testing;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.tun.testing.internal.PacketRing;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TUN device in memory, for tests and load benchmarks: the "application side" (the test, standing
 * in for the host's IP stack) injects packets that the device then reads, and takes the packets that
 * the device wrote.
 *
 * <p>Both directions are bounded queues. Like the kernel, a device write never blocks: when the
 * application side is full the packet is dropped and counted ({@link #writeDrops()}), so a slow test
 * reader cannot stall the device's receive path. Injecting blocks while the device has not read
 * (back-pressure for benchmarks); {@link #tryInject} drops instead. After warm-up neither direction
 * allocates.
 */
public final class MemoryTun implements TunDevice {

    /** Queue capacity used by {@link #MemoryTun(String, int)}, in packets per direction. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final String name;
    private final int mtu;
    private final PacketRing toDevice;
    private final PacketRing fromDevice;
    private final AtomicLong writeDrops = new AtomicLong();
    private final AtomicLong readDrops = new AtomicLong();

    public MemoryTun(String name, int mtu) {
        this(name, mtu, DEFAULT_CAPACITY);
    }

    /**
     * @param capacity packets that each direction holds before it is full
     */
    public MemoryTun(String name, int mtu, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 and 65535, was " + mtu);
        }
        this.mtu = mtu;
        this.toDevice = new PacketRing(capacity, mtu);
        this.fromDevice = new PacketRing(capacity, mtu);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    // ---- device side (TunDevice) ----

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        int length;
        try {
            length = toDevice.take(buf, off, len);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading from " + name);
        }
        if (length > len) {
            readDrops.incrementAndGet();
            throw new IOException("dropped a packet of " + length + " bytes from " + name
                    + ": the read buffer holds only " + len + " bytes; read with a buffer of at least the MTU");
        }
        return length;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (fromDevice.isClosed()) {
            throw new IOException(name + " is closed");
        }
        if (!fromDevice.offer(buf, off, len)) {
            writeDrops.incrementAndGet();
        }
    }

    // ---- application side ----

    /**
     * Queues a copy of one IP packet for the device to read, waiting while the queue is full.
     *
     * @throws IOException if the device is closed
     */
    public void inject(byte[] packet, int off, int len) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(off, len, packet.length);
        if (!toDevice.put(packet, off, len)) {
            throw new IOException(name + " is closed");
        }
    }

    /** Queues a copy of the whole array for the device to read, waiting while the queue is full. */
    public void inject(byte[] packet) throws IOException, InterruptedException {
        inject(packet, 0, packet.length);
    }

    /**
     * Queues a copy of one IP packet for the device to read unless the queue is full.
     *
     * @return false if the queue was full (the packet was not queued)
     * @throws IOException if the device is closed
     */
    public boolean tryInject(byte[] packet, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, packet.length);
        if (toDevice.isClosed()) {
            throw new IOException(name + " is closed");
        }
        return toDevice.offer(packet, off, len);
    }

    /**
     * Waits for the next packet that the device wrote and copies it into {@code buf}; allocation-free.
     *
     * @return the packet length, or -1 once the device is closed
     * @throws IOException if the packet is longer than {@code len} (it is dropped)
     */
    public int take(byte[] buf, int off, int len) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(off, len, buf.length);
        int length = fromDevice.take(buf, off, len);
        if (length > len) {
            throw new IOException("dropped a packet of " + length + " bytes written by " + name
                    + ": the buffer holds only " + len + " bytes");
        }
        return length;
    }

    /**
     * Waits up to the timeout for the next packet that the device wrote.
     *
     * @return a copy of the packet, or {@code null} on timeout or once the device is closed
     */
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        byte[] buf = new byte[65535];
        int length = fromDevice.poll(buf, 0, buf.length, timeout, unit);
        return length < 0 ? null : Arrays.copyOf(buf, length);
    }

    /** Packets the device wrote that are waiting for the application side. */
    public int pendingWritten() {
        return fromDevice.size();
    }

    /** Injected packets that the device has not read yet. */
    public int pendingInjected() {
        return toDevice.size();
    }

    /** Packets the device wrote while the application side's queue was full. */
    public long writeDrops() {
        return writeDrops.get();
    }

    /** Packets that did not fit the device's read buffer. */
    public long readDrops() {
        return readDrops.get();
    }

    public boolean isClosed() {
        return toDevice.isClosed();
    }

    @Override
    public void close() {
        toDevice.close();
        fromDevice.close();
    }

    @Override
    public String toString() {
        return "MemoryTun[" + name + ", mtu " + mtu + "]";
    }
}
