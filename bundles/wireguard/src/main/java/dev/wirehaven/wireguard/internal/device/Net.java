package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.conn.Bind;
import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The device's side of the network (wireguard-go's {@code device.net}): the bind it listens on, the
 * port and mark that the configuration asked for, the reader threads of each bind, and the move to
 * another bind when the port changes. A new bind is open, marked and read before the old one closes,
 * and the old bind's readers stop by themselves ({@link #listensOn}).
 */
final class Net {

    /**
     * The nice value of the handshake lane's reader: when the CPUs are busy it gets about a tenth of
     * what a thread of the data path gets (the scheduler's weights, 110 against 1024), when they are
     * idle all it wants. A flood then costs the data path little and the kernel drops what the lane
     * cannot take, before any copy.
     */
    static final int HANDSHAKE_LANE_NICE = 10;

    private final Device device;
    private final BindFactory binds;
    private final List<Thread> readers = new ArrayList<>();
    private volatile Bind bind;
    private int configuredPort; // guarded by the device's configuration lock
    private volatile int fwmark;
    /** The priority that the handshake lane's reader got, for {@link #describe()}. */
    private volatile String laneReader = "nice " + HANDSHAKE_LANE_NICE;
    /** Why the bind does not steer by our indices' tag, for {@link #describe()}; empty if it does or cannot. */
    private volatile String steering = "";

    Net(Device device, BindFactory binds) {
        this.device = device;
        this.binds = binds;
    }

    /** Opens the first bind, on a free port; its readers start with {@link #startReaders()}. */
    void open() throws IOException {
        bind = binds.open(0);
        steerTransport(bind);
    }

    void startReaders() {
        startReaders(bind);
    }

    /** The bind that datagrams leave from now; null before {@link #open()}. */
    Bind bind() {
        return bind;
    }

    /** Whether {@code b} is still the device's bind: its reader stops once the device closes or rebinds. */
    boolean listensOn(Bind b) {
        return !device.isClosed() && bind == b;
    }

    int fwmark() {
        return fwmark;
    }

    /** Sends one datagram over the current bind; false (counted) if the bind refused it. */
    boolean send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            bind.send(datagram, to);
            return true;
        } catch (IOException | RuntimeException e) {
            device.drops.add(DropReason.IO_ERROR);
            return false;
        }
    }

    /**
     * Sends datagrams over the current bind in one call; those that the bind refused keep their bytes
     * (position before limit) for the caller to count.
     */
    void send(ByteBuffer[] datagrams, int count, InetSocketAddress to) {
        try {
            bind.send(datagrams, count, to);
        } catch (IOException | RuntimeException e) {
            // the datagrams that did not leave still have bytes remaining: the caller counts them
        }
    }

    /** What the bind does, for {@link Device#dataPath()}: its I/O path, its steering, its lane's priority. */
    String describe() {
        Bind b = bind;
        return b.ioPath() + steering + (b.handshakeLane() == null ? "" : ", read at " + laneReader);
    }

    /** The reasons under which the kernel drops for the device: {@link #kernelDrops(Bind, DropReason)}. */
    static final Set<DropReason> KERNEL_DROP_REASONS = Collections.unmodifiableSet(
            EnumSet.of(DropReason.SOCKET_QUEUE_FULL, DropReason.MALFORMED, DropReason.UNKNOWN_INDEX));

    /** Datagrams that the kernel dropped for {@code reason} at the current bind's sockets. */
    long kernelDrops(DropReason reason) {
        Bind b = bind;
        return b == null ? 0 : kernelDrops(b, reason);
    }

    /**
     * What the kernel dropped at {@code b}'s sockets for {@code reason}: full receive queues, and where
     * the bind steers junk to sockets that drop it, what the device would have dropped as malformed or
     * for an unknown index. The device never saw these datagrams; the kernel counted them.
     */
    private static long kernelDrops(Bind b, DropReason reason) {
        return switch (reason) {
            case SOCKET_QUEUE_FULL -> b.receiveQueueDrops();
            case MALFORMED -> b.malformedDrops();
            case UNKNOWN_INDEX -> b.unknownIndexDrops();
            default -> 0;
        };
    }

    /** Rebinds to {@code port}; the old bind is closed only once the new one is open. Caller holds the configuration lock. */
    void setListenPort(int port) throws ConfigException {
        if (port < 0 || port > 65535) {
            throw new ConfigException("listen port " + port + " is outside 0-65535");
        }
        if (port == configuredPort && port != 0) {
            return;
        }
        if (port == 0 && configuredPort == 0) {
            return; // already on a port of our choosing
        }
        Bind next;
        try {
            next = binds.open(port);
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot listen on UDP port " + port + " (" + e.getMessage() + "); choose a free port, or 0 for any",
                    e);
        }
        try {
            applyFwmark(next);
        } catch (UncheckedIOException e) {
            try {
                next.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ConfigException(e.getMessage(), e);
        }
        steerTransport(next);
        Bind old = bind;
        bind = next;
        configuredPort = port;
        startReaders(next);
        try {
            // the kernel's counts end with the sockets
            for (DropReason reason : KERNEL_DROP_REASONS) {
                device.drops.add(reason, kernelDrops(old, reason));
            }
            old.close();
        } catch (IOException e) {
            device.drops.add(DropReason.IO_ERROR);
        }
    }

    /** Marks outgoing datagrams (SO_MARK) where the bind supports it; the value is kept for rebinds. */
    void setFwmark(int mark) {
        fwmark = mark;
        applyFwmark(bind);
    }

    /** Closes the bind and waits a little for its readers, which then see that the device is closed. */
    void close() {
        try {
            bind.close();
        } catch (IOException e) {
            device.drops.add(DropReason.IO_ERROR);
        }
        List<Thread> threads;
        synchronized (readers) {
            threads = new ArrayList<>(readers);
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void applyFwmark(Bind b) {
        if (fwmark == 0 && b.packetMark() == 0) {
            return;
        }
        try {
            b.markPackets(fwmark); // false for binds without marks (in memory): nothing to route around
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot set fwmark " + fwmark + " on the UDP socket (" + e.getMessage()
                            + "); it needs CAP_NET_ADMIN",
                    e);
        }
    }

    /**
     * Tells {@code b} the tag of our indices, so that its handshake lane also takes the transport
     * messages that can be for none of them. Where the kernel refuses, the lane still takes everything
     * that is not a transport message, which is what {@link Bind#ioPath()} then says.
     */
    private void steerTransport(Bind b) {
        try {
            b.steerByReceiverTag(device.indexTable.tag());
            steering = "";
        } catch (IOException e) {
            // an optimization only: every reader handles every message
            steering = ", steering by receiver tag refused (" + e.getMessage() + ")";
        }
    }

    private void startReaders(Bind b) {
        String name = device.name;
        start(new Thread(() -> device.receivePath.readUdp(b, b), name + "-udp-reader-" + b.port()));
        Bind lane = b.handshakeLane();
        if (lane != null) {
            Runnable readLane = () -> {
                laneReader = ThreadNice.lowerCurrentThread(HANDSHAKE_LANE_NICE);
                device.receivePath.readUdp(lane, b);
            };
            start(new Thread(readLane, name + "-udp-handshakes-" + b.port()));
        }
    }

    private void start(Thread t) {
        t.setDaemon(true);
        synchronized (readers) {
            readers.add(t);
        }
        t.start();
    }
}
