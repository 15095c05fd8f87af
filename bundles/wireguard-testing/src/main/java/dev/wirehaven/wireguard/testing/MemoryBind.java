package dev.wirehaven.wireguard.testing;

import dev.wirehaven.wireguard.conn.Bind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Bind} on a {@link MemoryNetwork}. It holds at most one IPv4 and one IPv6 endpoint with the
 * same port, and sends from the one whose family matches the destination, as a dual-stack socket does.
 *
 * <p>The receive queue is a ring whose slots keep their arrays, so steady-state traffic does not
 * allocate. Receiving follows {@code DatagramChannel}: a datagram longer than the buffer's remaining
 * space is truncated.
 */
public final class MemoryBind implements Bind {

    private final MemoryNetwork network;
    private final int port;
    private final byte[][] slots;
    private final int[] lengths;
    private final InetSocketAddress[] sources;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final AtomicLong sent = new AtomicLong();
    private int head;
    private int count;
    private boolean closed;
    private volatile InetSocketAddress endpointV4;
    private volatile InetSocketAddress endpointV6;

    MemoryBind(MemoryNetwork network, int port, int capacity) {
        this.network = network;
        this.port = port;
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
        this.sources = new InetSocketAddress[capacity];
    }

    @Override
    public int port() {
        return port;
    }

    /** The IPv4 endpoint if the bind has one, else the IPv6 one; {@code null} once closed. */
    public InetSocketAddress endpoint() {
        InetSocketAddress v4 = endpointV4;
        return v4 != null ? v4 : endpointV6;
    }

    /** The IPv4 endpoint, or {@code null} if the bind has no IPv4 address. */
    public InetSocketAddress endpointV4() {
        return endpointV4;
    }

    /** The IPv6 endpoint, or {@code null} if the bind has no IPv6 address. */
    public InetSocketAddress endpointV6() {
        return endpointV6;
    }

    /** Every endpoint where the bind receives. */
    public List<InetSocketAddress> endpoints() {
        List<InetSocketAddress> list = new ArrayList<>(2);
        InetSocketAddress v4 = endpointV4;
        InetSocketAddress v6 = endpointV6;
        if (v4 != null) {
            list.add(v4);
        }
        if (v6 != null) {
            list.add(v6);
        }
        return list;
    }

    public MemoryNetwork network() {
        return network;
    }

    /**
     * Moves the bind to fresh addresses of the same families, keeping its port and queued datagrams,
     * as when a laptop changes networks: datagrams to the old endpoints become unroutable and the
     * peer sees the new source on the next send.
     *
     * @return the new {@link #endpoint()}
     */
    public InetSocketAddress roam() throws IOException {
        InetAddress[] host = network.newHost();
        List<InetAddress> next = new ArrayList<>(2);
        if (endpointV4 != null) {
            next.add(host[0]);
        }
        if (endpointV6 != null) {
            next.add(host[1]);
        }
        moveTo(next.toArray(new InetAddress[0]));
        return endpoint();
    }

    /** Moves the bind to the given addresses (at most one per family), keeping its port. */
    public void moveTo(InetAddress... addresses) throws IOException {
        if (isClosed()) {
            throw new ClosedChannelException();
        }
        network.move(this, addresses);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        lock.lock();
        try {
            while (!closed && count == 0) {
                try {
                    notEmpty.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while receiving on " + this);
                }
            }
            return closed ? null : dequeue(dst);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #receive} but gives up after the timeout.
     *
     * @return the sender, or {@code null} on timeout or once closed
     */
    public InetSocketAddress receive(ByteBuffer dst, long timeout, TimeUnit unit) throws IOException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!closed && count == 0) {
                if (nanos <= 0) {
                    return null;
                }
                try {
                    nanos = notEmpty.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while receiving on " + this);
                }
            }
            return closed ? null : dequeue(dst);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        if (isClosed()) {
            throw new ClosedChannelException();
        }
        if (to.isUnresolved()) {
            throw new IOException("unresolved destination " + to);
        }
        InetSocketAddress from = to.getAddress() instanceof Inet4Address ? endpointV4 : endpointV6;
        if (from == null) {
            throw new NoRouteToHostException("network is unreachable: " + this + " has no "
                    + (to.getAddress() instanceof Inet4Address ? "IPv4" : "IPv6") + " address to reach " + to);
        }
        sent.incrementAndGet();
        network.route(from, to, src);
    }

    /** Datagrams this bind has sent (delivered or not). */
    public long sent() {
        return sent.get();
    }

    /** Datagrams waiting in the receive queue. */
    public int pending() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        network.detach(this);
    }

    @Override
    public String toString() {
        return "MemoryBind" + endpoints() + (endpointV4 == null && endpointV6 == null ? "[port " + port + "]" : "");
    }

    // ---- used by MemoryNetwork ----

    void setEndpoints(InetSocketAddress v4, InetSocketAddress v6) {
        this.endpointV4 = v4;
        this.endpointV6 = v6;
    }

    /** Copies the payload into the queue and consumes it; false if the queue is full or closed. */
    boolean enqueue(InetSocketAddress from, ByteBuffer payload) {
        int len = payload.remaining();
        lock.lock();
        try {
            if (closed || count == slots.length) {
                return false;
            }
            int tail = (head + count) % slots.length;
            byte[] slot = slots[tail];
            if (slot == null || slot.length < len) {
                slot = new byte[Math.max(len, 2048)];
                slots[tail] = slot;
            }
            payload.get(slot, 0, len);
            lengths[tail] = len;
            sources[tail] = from;
            count++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private InetSocketAddress dequeue(ByteBuffer dst) {
        int len = Math.min(lengths[head], dst.remaining());
        dst.put(slots[head], 0, len);
        InetSocketAddress from = sources[head];
        sources[head] = null;
        head = (head + 1) % slots.length;
        count--;
        return from;
    }
}
