package dev.wirehaven.wireguard.testing;

import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process datagram network for tests: {@link MemoryBind}s opened on it exchange datagrams
 * as if over UDP, at fake addresses from the documentation and benchmarking ranges (192.0.2.x, then
 * 198.18.0.0/15, and 2001:db8::x).
 *
 * <p>Tests can drop datagrams (a {@link Filter}, or {@link #dropAll}), move a bind to new addresses
 * (roaming, {@link MemoryBind#roam()}), and {@link #inject} datagrams from any source (garbage,
 * floods, spoofed endpoints). Like UDP, a datagram for a full receive queue or an unbound endpoint is
 * dropped and counted, never an error to the sender. Delivery allocates nothing once each bind's
 * queue has warmed up (unless a filter is installed), so benchmarks can run on it.
 */
public final class MemoryNetwork {

    /** Receive queue capacity of each bind, in datagrams, used by {@link #MemoryNetwork()}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private static final int FIRST_EPHEMERAL_PORT = 49152;
    private static final int BENCHMARK_RANGE_SIZE = 1 << 17; // 198.18.0.0/15

    /**
     * Decides whether a datagram is delivered. The payload is a read-only view, valid only during the call.
     */
    @FunctionalInterface
    public interface Filter {
        boolean deliver(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload);
    }

    private final int queueCapacity;
    private final ConcurrentHashMap<InetSocketAddress, MemoryBind> bound = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile Filter filter;
    private int nextHost = 1;
    private int nextPort = FIRST_EPHEMERAL_PORT;

    public MemoryNetwork() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public MemoryNetwork(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, was " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    /**
     * Opens a dual-stack bind on a new host: reachable at a fresh IPv4 and a fresh IPv6 address.
     *
     * @param port the port, or 0 for a free ephemeral one
     */
    public MemoryBind open(int port) throws IOException {
        InetAddress[] host = newHost();
        return open(port, host[0], host[1]);
    }

    /** Opens a bind on the given local addresses (one per family at most), for example a single-stack host. */
    public MemoryBind open(int port, InetAddress... addresses) throws IOException {
        checkPort(port);
        List<InetAddress> locals = checkAddresses(addresses);
        synchronized (this) {
            int actual = port == 0 ? freePort(locals) : port;
            MemoryBind bind = new MemoryBind(this, actual, queueCapacity);
            attach(bind, locals);
            return bind;
        }
    }

    /** A factory whose every bind is on a new dual-stack host. */
    public BindFactory factory() {
        return this::open;
    }

    /** A factory whose binds sit on the given addresses: a device that rebinds stays on the same host. */
    public BindFactory factoryAt(InetAddress... addresses) {
        InetAddress[] copy = addresses.clone();
        return port -> open(port, copy);
    }

    /** A fresh IPv4 address that no bind has had yet. */
    public synchronized InetAddress newAddressV4() {
        return newHost()[0];
    }

    /** A fresh IPv6 address that no bind has had yet. */
    public synchronized InetAddress newAddressV6() {
        return newHost()[1];
    }

    /**
     * Delivers a datagram from any (possibly spoofed or unbound) source, through the filter like
     * any other datagram.
     *
     * @return whether a bind received it
     */
    public boolean inject(InetSocketAddress from, InetSocketAddress to, byte[] payload) {
        return route(from, to, ByteBuffer.wrap(payload));
    }

    /** Installs the filter that every later datagram passes; {@code null} delivers everything. */
    public void setFilter(Filter filter) {
        this.filter = filter;
    }

    /** Drops every datagram from now on ({@code true}) or delivers them again ({@code false}). */
    public void dropAll(boolean drop) {
        this.filter = drop ? (from, to, payload) -> false : null;
    }

    /** Datagrams that reached a bind's receive queue. */
    public long delivered() {
        return delivered.get();
    }

    /** Datagrams that the filter dropped. */
    public long filtered() {
        return filtered.get();
    }

    /** Datagrams to an endpoint that no bind holds. */
    public long unroutable() {
        return unroutable.get();
    }

    /** Datagrams dropped because the receiving bind's queue was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /** The bind that holds an endpoint, or {@code null}. */
    public MemoryBind boundAt(InetSocketAddress endpoint) {
        return bound.get(endpoint);
    }

    // ---- used by MemoryBind ----

    boolean route(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload) {
        Filter f = filter;
        if (f != null && !f.deliver(from, to, payload.asReadOnlyBuffer())) {
            filtered.incrementAndGet();
            payload.position(payload.limit());
            return false;
        }
        MemoryBind target = bound.get(to);
        if (target == null) {
            unroutable.incrementAndGet();
            payload.position(payload.limit());
            return false;
        }
        if (!target.enqueue(from, payload)) {
            overflowed.incrementAndGet();
            payload.position(payload.limit());
            return false;
        }
        delivered.incrementAndGet();
        return true;
    }

    synchronized void move(MemoryBind bind, InetAddress... addresses) throws IOException {
        List<InetAddress> locals = checkAddresses(addresses);
        for (InetAddress a : locals) {
            MemoryBind holder = bound.get(new InetSocketAddress(a, bind.port()));
            if (holder != null && holder != bind) {
                throw new BindException("address already in use: " + a.getHostAddress() + " port " + bind.port());
            }
        }
        detach(bind);
        attach(bind, locals);
    }

    synchronized InetAddress[] newHost() {
        int i = nextHost++;
        if (i > 254 + BENCHMARK_RANGE_SIZE) {
            throw new IllegalStateException("the memory network ran out of fake addresses");
        }
        byte[] v4;
        if (i <= 254) {
            v4 = new byte[] {(byte) 192, 0, 2, (byte) i};
        } else {
            int n = i - 254;
            v4 = new byte[] {(byte) 198, (byte) (18 + (n >>> 16)), (byte) (n >>> 8), (byte) n};
        }
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[12] = (byte) (i >>> 24);
        v6[13] = (byte) (i >>> 16);
        v6[14] = (byte) (i >>> 8);
        v6[15] = (byte) i;
        try {
            return new InetAddress[] {InetAddress.getByAddress(v4), InetAddress.getByAddress(v6)};
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // lengths are 4 and 16, so this cannot happen
        }
    }

    synchronized void detach(MemoryBind bind) {
        for (InetSocketAddress e : bind.endpoints()) {
            bound.remove(e, bind);
        }
        bind.setEndpoints(null, null);
    }

    private void attach(MemoryBind bind, List<InetAddress> locals) throws BindException {
        InetSocketAddress v4 = null;
        InetSocketAddress v6 = null;
        for (InetAddress a : locals) {
            InetSocketAddress e = new InetSocketAddress(a, bind.port());
            if (bound.containsKey(e)) {
                throw new BindException("address already in use: " + a.getHostAddress() + " port " + bind.port());
            }
            if (a instanceof Inet4Address) {
                v4 = e;
            } else {
                v6 = e;
            }
        }
        if (v4 != null) {
            bound.put(v4, bind);
        }
        if (v6 != null) {
            bound.put(v6, bind);
        }
        bind.setEndpoints(v4, v6);
    }

    private int freePort(List<InetAddress> locals) throws BindException {
        for (int tries = 0; tries < 65536 - FIRST_EPHEMERAL_PORT; tries++) {
            int p = nextPort;
            nextPort = p == 65535 ? FIRST_EPHEMERAL_PORT : p + 1;
            boolean free = true;
            for (InetAddress a : locals) {
                free &= !bound.containsKey(new InetSocketAddress(a, p));
            }
            if (free) {
                return p;
            }
        }
        throw new BindException("no free ephemeral port on " + locals);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }

    private static List<InetAddress> checkAddresses(InetAddress... addresses) {
        List<InetAddress> list = List.of(addresses);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a bind needs at least one address");
        }
        long v4 = list.stream().filter(Inet4Address.class::isInstance).count();
        long v6 = list.stream().filter(Inet6Address.class::isInstance).count();
        if (v4 > 1 || v6 > 1) {
            throw new IllegalArgumentException("at most one address per family: " + list);
        }
        for (InetAddress a : list) {
            Objects.requireNonNull(a, "address");
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("give the bind a concrete address, not the wildcard " + a);
            }
        }
        return list;
    }
}
