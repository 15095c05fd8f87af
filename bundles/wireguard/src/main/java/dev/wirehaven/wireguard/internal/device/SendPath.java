package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.filter.FlowFilter;
import dev.wirehaven.wireguard.internal.noise.Noise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The send path: an IP packet that the TUN device hands us leaves as a transport data message
 * (whitepaper §5.4.6). Its stages, in order:
 * <ol>
 * <li>TUN read ({@link #readTun}, the TUN reader thread): the packet lands in a pooled element at
 * {@link Element#HEADROOM}, so that the header can go in front of it without a copy;</li>
 * <li>allowed-IPs lookup ({@link #route}): the destination address picks the peer (cryptokey
 * routing, §2);</li>
 * <li>access control ({@link #admitted}), for a peer with a filter only: the packet answers a flow
 * that the filter allowed, or opens one that the peer's {@code toPeer} rules allow;</li>
 * <li>peer ({@link Peer#sendPacket}): the peer stages the packet, takes its current keypair and next
 * nonce and appends it to its {@link Outbound} queue, in nonce order; without a keypair the packet
 * stays staged and a handshake starts;</li>
 * <li>encrypt ({@link #encrypt}, any crypto worker, in parallel): pad, write the header, seal in place;</li>
 * <li>in-order UDP send ({@link #transmit} and {@link #flush}, the peer's {@link Outbound} drain): the
 * sealed messages leave in nonce order, so that the receiver's replay window (§5.4.6) never finds them
 * too old and the TCP inside sees no reordering; a drain's batch leaves in one call of the bind.</li>
 * </ol>
 * No stage allocates in steady state (elements are pooled) or takes a lock of ours that another peer
 * also takes (only the peer's send lock, queue and flow table), and a packet that goes nowhere is
 * counted under its {@link DropReason}, never logged.
 */
final class SendPath {

    private final Device device;
    private final TunDevice tun;
    private final ElementPool pool;
    private final AllowedIps<Peer> allowedIps;
    private final DropCounters drops;
    private final int mtu;

    SendPath(Device device) {
        this.device = device;
        this.tun = device.tun;
        this.pool = device.pool;
        this.allowedIps = device.allowedIps;
        this.drops = device.drops;
        this.mtu = device.mtu;
    }

    // ---- 1. TUN read ----

    /**
     * The TUN reader thread's loop, until the device closes or the TUN device ends. The packets of one
     * burst (the segments of a super-packet that the TUN split) go to the crypto workers as one chain,
     * let go when the TUN holds no more of it, before a read that may wait.
     */
    void readTun() {
        // the largest packet the buffers were sized for (see Device): the header, padding and tag still fit
        int max = pool.bufferSize() - Element.HEADROOM - Element.TAILROOM - Protocol.TAG_SIZE;
        CryptoWorkers workers = device.workers;
        workers.hold();
        try {
            while (!device.isClosed()) {
                Element e = pool.acquire();
                int n;
                try {
                    n = tun.read(e.buf, Element.HEADROOM, max);
                } catch (IOException | RuntimeException ex) {
                    pool.release(e);
                    workers.flushHeld();
                    if (device.isClosed()) {
                        return;
                    }
                    drops.add(DropReason.IO_ERROR);
                    LockSupport.parkNanos(Device.READ_ERROR_PAUSE_NANOS);
                    continue;
                }
                if (n < 0) {
                    pool.release(e);
                    return;
                }
                try {
                    route(e, n);
                } catch (RuntimeException ex) {
                    drops.add(DropReason.IO_ERROR);
                }
                if (!tun.hasBufferedPackets()) {
                    workers.flushHeld(); // the next read may wait: nothing may wait behind it
                }
            }
        } finally {
            workers.flushHeld();
        }
    }

    // ---- 2. allowed-IPs lookup, 3. access control, 4. peer ----

    /** Hands the packet of {@code n} bytes to the peer whose allowed IPs hold its destination address. */
    private void route(Element e, int n) {
        byte[] b = e.buf;
        int off = Element.HEADROOM;
        Peer peer;
        if (IpHeader.isIpv4(b, off, n)) {
            peer = allowedIps.lookup(b, off + IpHeader.IPV4_DESTINATION_ADDRESS_OFFSET, false);
        } else if (IpHeader.isIpv6(b, off, n)) {
            peer = allowedIps.lookup(b, off + IpHeader.IPV6_DESTINATION_ADDRESS_OFFSET, true);
        } else {
            drop(e, DropReason.BAD_INNER_PACKET);
            return;
        }
        if (peer == null) {
            drop(e, DropReason.NO_ROUTE);
            return;
        }
        if (peer.endpoint == null) {
            drop(e, DropReason.NO_ENDPOINT);
            return;
        }
        if (!admitted(peer, e, n)) {
            drop(e, DropReason.POLICY_DENIED);
            return;
        }
        e.length = n;
        peer.sendPacket(e);
    }

    /** Others open new flows toward the peer with what they send it: its {@code toPeer} rules judge them. */
    private boolean admitted(Peer peer, Element e, int n) {
        FlowFilter filter = peer.flowFilter; // one volatile read for a peer without filter
        return filter == null || filter.admit(e.buf, Element.HEADROOM, n, e.flow(), false, device.clock.nanoTime());
    }

    private void drop(Element e, DropReason reason) {
        drops.add(reason);
        pool.release(e);
    }

    // ---- 5. encrypt ----

    /**
     * Seals the element in place and marks it done or dropped; then its peer's queue may send it (kicked
     * here unless the worker's chain has more of this queue's packets next: the last of them kicks).
     */
    void encrypt(Element e, TransportCipher cipher, boolean kick) {
        Outbound queue = e.peer.outbound; // read first: once the state is set, another thread may recycle e
        int state;
        try {
            seal(e, cipher);
            state = Element.DONE;
        } catch (RuntimeException ex) {
            drops.add(DropReason.IO_ERROR);
            state = Element.DROPPED;
        }
        e.state = state; // publishes the element
        if (kick) {
            queue.kick();
        }
    }

    /** Builds the transport data message (§5.4.6) around the packet: zero padding, header, tag. */
    private void seal(Element e, TransportCipher cipher) {
        byte[] b = e.buf;
        int plain = e.length;
        int padded = plain + paddingSize(plain, mtu);
        Arrays.fill(b, Transport.PACKET_OFFSET + plain, Transport.PACKET_OFFSET + padded, (byte) 0);
        Keypair kp = e.keypair;
        Noise.putIntLE(b, MessageLayout.TYPE_OFFSET, Protocol.MESSAGE_TRANSPORT);
        Noise.putIntLE(b, Transport.RECEIVER_OFFSET, kp.remoteIndex);
        Noise.putLongLE(b, Transport.COUNTER_OFFSET, e.counter);
        e.length = Transport.PACKET_OFFSET + cipher.seal(kp.sendKey, e.counter, b, Transport.PACKET_OFFSET, padded);
    }

    /** Zero padding to a multiple of 16 but never past the MTU (§5.4.6; wireguard-go's calculatePaddingSize). */
    static int paddingSize(int size, int mtu) {
        int last = size;
        if (mtu == 0) {
            return ((last + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE) - last;
        }
        if (last > mtu) {
            last %= mtu;
        }
        int padded = (last + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE;
        if (padded > mtu) {
            padded = mtu;
        }
        return padded - last;
    }

    // ---- 6. in-order UDP send ----

    /**
     * The sealed messages that the calling thread's current drain has taken from one peer's queue, in
     * nonce order, not yet sent. A drain runs on one thread and flushes before it lets go of the queue
     * ({@link Outbound#endBatch}), so one batch per thread is enough, and an idle peer holds none.
     */
    private static final class SendBatch {
        final Element[] elements = new Element[InOrderQueue.BATCH];
        final ByteBuffer[] views = new ByteBuffer[InOrderQueue.BATCH];
        int count;
    }

    private final ThreadLocal<SendBatch> batches = ThreadLocal.withInitial(SendBatch::new);

    /** Takes one sealed element of {@code peer}, in nonce order, into the thread's batch for {@link #flush}. */
    void transmit(Peer peer, Element e) {
        if (peer.removed) {
            drop(e, DropReason.NO_SESSION);
            return;
        }
        SendBatch batch = batches.get();
        if (batch.count == batch.elements.length) {
            flush(peer); // the queue ends its batches at this size; this only guards the array
        }
        batch.elements[batch.count++] = e;
    }

    /**
     * Sends the batch to the peer's endpoint in one call of the bind (one system call, and one
     * segmented buffer per run of equal sizes, where the bind can), then counts and releases it.
     */
    void flush(Peer peer) {
        SendBatch batch = batches.get();
        int n = batch.count;
        if (n == 0) {
            return;
        }
        batch.count = 0;
        Element[] elements = batch.elements;
        ByteBuffer[] views = batch.views;
        try {
            InetSocketAddress to = peer.endpoint;
            if (to == null) {
                drops.add(DropReason.NO_ENDPOINT, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                Element e = elements[i];
                views[i] = e.view;
                e.view.clear().limit(e.length);
            }
            device.net.send(views, n, to);
            for (int i = 0; i < n; i++) {
                countSent(peer, elements[i], views[i].hasRemaining());
            }
        } catch (RuntimeException ex) {
            drops.add(DropReason.IO_ERROR, n);
        } finally {
            for (int i = 0; i < n; i++) {
                pool.release(elements[i]);
                elements[i] = null;
                views[i] = null;
            }
        }
    }

    /** A message that left counts for the peer and its timers; one that the bind refused as an I/O error. */
    private void countSent(Peer peer, Element e, boolean refused) {
        if (refused) {
            drops.add(DropReason.IO_ERROR);
            return;
        }
        peer.txBytes.addAndGet(e.length);
        boolean data = e.length != Protocol.KEEPALIVE_SIZE;
        if (data) {
            peer.txPackets.incrementAndGet();
        }
        peer.outbound.noteSent(data);
    }
}
