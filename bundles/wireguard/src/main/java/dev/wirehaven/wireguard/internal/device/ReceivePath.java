package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.conn.Bind;
import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.filter.FlowFilter;
import dev.wirehaven.wireguard.internal.noise.CookieChecker;
import dev.wirehaven.wireguard.internal.noise.Noise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The receive path: a datagram from the UDP socket is a handshake message for the
 * {@link HandshakeWorker} or transport data whose IP packet goes to the TUN device. Its stages, in
 * order:
 * <ol>
 * <li>UDP read ({@link #readUdp}, one reader thread per bind, and one below the data's priority for its
 * handshake lane where it has one): a batch of datagrams (as many as the bind moves per system call)
 * lands in pooled elements, each at offset 0;</li>
 * <li>message type dispatch ({@link #dispatch}) by {@code msg.type};</li>
 * <li>handshake queue ({@link #queueHandshake}) for the handshake messages, which leave the packet path
 * here once their source is not blocked ({@link BlockedSources}) and their MAC1 verified; or, for transport data ({@link #queueTransport}), {@code msg.receiver} finds the keypair and
 * the element joins its peer's {@link Inbound} queue in arrival order;</li>
 * <li>decrypt ({@link #decrypt}, any crypto worker, in parallel): open in place;</li>
 * <li>replay check ({@link #deliver}, the peer's {@link Inbound} drain, in arrival order): only now,
 * once the packet proved authentic; then key confirmation and the keepalive count;</li>
 * <li>source check against allowed IPs ({@link #writeToTun}): the inner packet's source must be one of
 * the sending peer's allowed IPs (cryptokey routing, whitepaper §2), else it is counted on the device
 * and on the peer ({@link Peer#countDisallowedSource});</li>
 * <li>access control ({@link #admitted}), for a peer with a filter only: the packet belongs to a flow
 * that the filter allowed, or opens one that the peer's {@code fromPeer} rules allow;</li>
 * <li>in-order TUN write: queued in the drain's batch ({@link TunDevice#queueWrite}) and written when the
 * batch ends ({@link #flushTun}), where the TUN merges consecutive TCP segments of a flow into one write.</li>
 * </ol>
 * No stage of transport data allocates in steady state (elements are pooled) or takes a lock of ours
 * that another peer also takes (only the peer's queue, send lock and flow table), and a packet that
 * goes nowhere is counted under its {@link DropReason}, never logged.
 */
final class ReceivePath {

    private final Device device;
    private final TunDevice tun;
    private final ElementPool pool;
    private final AllowedIps<Peer> allowedIps;
    private final DropCounters drops;
    private final IndexTable indexTable;
    private final CryptoWorkers workers;
    private final HandshakeWorker handshakes;
    private final CookieChecker cookieChecker;
    private final int peerQueueCapacity;

    /** The most datagrams that a reader takes from its bind per call (LinuxUdpBind's batch). */
    static final int RECEIVE_BATCH = 64;

    ReceivePath(Device device) {
        this.device = device;
        this.tun = device.tun;
        this.pool = device.pool;
        this.allowedIps = device.allowedIps;
        this.drops = device.drops;
        this.indexTable = device.indexTable;
        this.workers = device.workers;
        this.handshakes = device.handshakes;
        this.cookieChecker = device.cookieChecker;
        this.peerQueueCapacity = device.options.peerQueueCapacity();
    }

    // ---- 1. UDP read ----

    /**
     * The loop of a reader thread of bind {@code b} (its own queue, or its handshake lane's: {@code from}),
     * until the device closes or moves to another bind.
     * It receives into a batch of elements, as many datagrams as the bind gives per call; the batch
     * starts at one element and doubles (up to {@value #RECEIVE_BATCH}) each time a call fills it, so
     * that a bind without batches, or a quiet device, holds one or two elements and a busy batched one
     * moves up to {@value #RECEIVE_BATCH} per system call.
     */
    void readUdp(Bind from, Bind b) {
        Element[] elements = new Element[RECEIVE_BATCH];
        ByteBuffer[] views = new ByteBuffer[1]; // as long as the batch: the bind fills all it is given
        InetSocketAddress[] sources = new InetSocketAddress[RECEIVE_BATCH];
        workers.hold(); // a batch's transport packets go to the workers as one chain
        try {
            while (device.net.listensOn(b)) {
                refill(elements, views);
                int n;
                try {
                    n = from.receive(views, sources);
                } catch (IOException | RuntimeException ex) {
                    if (!device.net.listensOn(b)) {
                        return;
                    }
                    drops.add(DropReason.IO_ERROR);
                    LockSupport.parkNanos(Device.READ_ERROR_PAUSE_NANOS);
                    continue;
                }
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    Element e = elements[i];
                    elements[i] = null;
                    e.length = views[i].position();
                    e.source = sources[i];
                    sources[i] = null;
                    try {
                        dispatch(e);
                    } catch (RuntimeException ex) {
                        drop(e, DropReason.MALFORMED);
                    }
                }
                workers.flushHeld(); // before the next receive, which may wait
                if (n == views.length && views.length < RECEIVE_BATCH) {
                    views = Arrays.copyOf(views, views.length * 2); // a few times per reader, then never
                }
            }
        } finally {
            workers.flushHeld();
            for (Element e : elements) {
                if (e != null) {
                    pool.release(e);
                }
            }
        }
    }

    /** Puts a pooled element, with its view cleared, into every empty slot of the batch. */
    private void refill(Element[] elements, ByteBuffer[] views) {
        for (int i = 0; i < views.length; i++) {
            if (elements[i] == null) {
                Element e = pool.acquire();
                elements[i] = e;
                views[i] = e.view;
                e.view.clear();
            }
        }
    }

    // ---- 2. message type dispatch ----

    private void dispatch(Element e) {
        int type = e.length >= MessageLayout.TYPE_SIZE ? Noise.getIntLE(e.buf, MessageLayout.TYPE_OFFSET) : 0;
        switch (type) {
            case Protocol.MESSAGE_TRANSPORT -> queueTransport(e);
            case Protocol.MESSAGE_INITIATION, Protocol.MESSAGE_RESPONSE, Protocol.MESSAGE_COOKIE_REPLY ->
                queueHandshake(e, type);
            default -> drop(e, DropReason.MALFORMED);
        }
    }

    // ---- 3. handshake queue, or the peer's in-order queue and the crypto workers ----

    /** Handshake messages have one size each (§5.4.2, §5.4.3, §5.4.7); the handshake worker takes it from here. */
    private void queueHandshake(Element e, int type) {
        if (e.length != handshakeSize(type)) {
            drop(e, DropReason.MALFORMED);
        } else if (device.blockedSources.covers(e.source.getAddress())) {
            // before MAC1 and the queue: a blocked source costs no BLAKE2s, no DH and gets no cookie reply
            drop(e, DropReason.SOURCE_BLOCKED);
        } else if (type != Protocol.MESSAGE_COOKIE_REPLY && !cookieChecker.checkMac1(e.buf, e.length)) {
            // here rather than in the handshake worker: garbage never costs a queue slot, a wake-up of
            // the worker, or a push of the device under load (one BLAKE2s of two blocks, no allocation)
            drop(e, DropReason.BAD_MAC1);
        } else if (type != Protocol.MESSAGE_COOKIE_REPLY && handshakes.onlyRateLimits(e.buf, e.length)) {
            drop(e, DropReason.RATE_LIMITED); // what the handshake worker would do, without waking it
        } else if (!handshakes.offer(e)) {
            drop(e, DropReason.QUEUE_FULL);
        }
    }

    private static int handshakeSize(int type) {
        return switch (type) {
            case Protocol.MESSAGE_INITIATION -> Protocol.INITIATION_SIZE;
            case Protocol.MESSAGE_RESPONSE -> Protocol.RESPONSE_SIZE;
            default -> Protocol.COOKIE_REPLY_SIZE;
        };
    }

    private void queueTransport(Element e) {
        if (e.length < Protocol.KEEPALIVE_SIZE) {
            drop(e, DropReason.MALFORMED);
            return;
        }
        byte[] b = e.buf;
        IndexTable.Entry entry = indexTable.lookup(Noise.getIntLE(b, Transport.RECEIVER_OFFSET));
        Keypair kp = entry == null ? null : entry.keypair(); // an index of a handshake in progress has none
        if (kp == null || kp.peer.removed) {
            drop(e, DropReason.UNKNOWN_INDEX);
            return;
        }
        if (!kp.canReceive(device.clock.nanoTime())) {
            drop(e, DropReason.KEY_EXPIRED);
            return;
        }
        e.peer = kp.peer;
        e.keypair = kp;
        e.counter = Noise.getLongLE(b, Transport.COUNTER_OFFSET);
        e.outbound = false;
        if (!offerInOrder(kp.peer.inbound, e)) {
            drop(e, DropReason.QUEUE_FULL);
            return;
        }
        workers.submit(e);
    }

    /** Appends to a peer's queue; while it is full, does crypto work instead of dropping at once. */
    private boolean offerInOrder(Inbound queue, Element e) {
        for (int patience = InOrderQueue.FULL_QUEUE_PATIENCE; !queue.offer(e, peerQueueCapacity); ) {
            if (--patience == 0) {
                return false;
            }
            workers.helpOrYield(); // back-pressure on the socket: the reader slows down to the crypto
        }
        return true;
    }

    // ---- 4. decrypt ----

    /**
     * Opens the element in place and marks it done or dropped; then its peer's queue may deliver it
     * (kicked here unless the worker's chain has more of this queue's packets next).
     */
    void decrypt(Element e, TransportCipher cipher, boolean kick) {
        Inbound queue = e.peer.inbound; // read first: once the state is set, another thread may recycle e
        int state;
        try {
            int n = cipher.open(
                    e.keypair.receiveKey,
                    e.counter,
                    e.buf,
                    Transport.PACKET_OFFSET,
                    e.length - Transport.PACKET_OFFSET);
            if (n < 0) {
                drops.add(DropReason.BAD_AUTH_TAG);
                state = Element.DROPPED;
            } else {
                e.length = n; // the plaintext, at Element.HEADROOM
                state = Element.DONE;
            }
        } catch (RuntimeException ex) {
            drops.add(DropReason.BAD_AUTH_TAG);
            state = Element.DROPPED;
        }
        e.state = state; // publishes the element
        if (kick) {
            queue.kick();
        }
    }

    // ---- 5. replay check, on the peer's in-order drain ----

    /** Delivers one opened element of {@code peer}, in arrival order, and releases it. */
    void deliver(Peer peer, Element e) {
        try {
            if (peer.removed || !acceptCounter(peer, e)) {
                return;
            }
            peer.rxBytes.addAndGet(e.length + Protocol.KEEPALIVE_SIZE);
            if (e.length == 0) {
                peer.keepalivesReceived.incrementAndGet(); // a keepalive (§6.5) is counted, never written
                return;
            }
            peer.inbound.noteData();
            writeToTun(peer, e);
        } catch (IOException | RuntimeException ex) {
            drops.add(DropReason.IO_ERROR);
        } finally {
            pool.release(e);
        }
    }

    /**
     * The replay window (§5.4.6) sees the counter only now, after authentication, so that forged
     * packets cannot move it. An accepted packet counts for roaming and the timers, and a responder's
     * first packet on its "next" keypair confirms that keypair. A gap in the counters is the peer's
     * lost packets (filled again when a late one arrives).
     */
    private boolean acceptCounter(Peer peer, Element e) {
        Keypair kp = e.keypair;
        long missingBefore = kp.replay.missing();
        if (!kp.replay.accept(e.counter)) {
            drops.add(DropReason.REPLAY);
            return false;
        }
        long newlyMissing = kp.replay.missing() - missingBefore;
        if (newlyMissing != 0) { // packets in order leave no gap: no write
            peer.countLost(newlyMissing);
        }
        peer.inbound.noteAuthenticated(e.source);
        if (kp == peer.keypairs.next()) {
            peer.confirmed(kp);
        }
        return true;
    }

    // ---- 6. source check against allowed IPs, 7. access control, 8. TUN write ----

    /**
     * Writes the packet decrypted at {@link Element#HEADROOM} if its header holds, its source is the
     * peer's and the peer's filter, if any, admits it.
     */
    private void writeToTun(Peer peer, Element e) throws IOException {
        byte[] b = e.buf;
        int off = Element.HEADROOM;
        int len = IpHeader.packetLength(b, off, e.length); // without the padding
        if (len < 0) {
            drops.add(DropReason.BAD_INNER_PACKET);
            return;
        }
        if (!sourceAllowed(peer, b, off, len)) {
            drops.add(DropReason.DISALLOWED_SOURCE);
            peer.countDisallowedSource(); // which peer spoofed, for the server's security events
            return;
        }
        if (!admitted(peer, e, off, len)) {
            drops.add(DropReason.POLICY_DENIED);
            return;
        }
        tun.queueWrite(b, off, len); // copied: the element goes back to the pool at once
        peer.rxPackets.incrementAndGet();
    }

    /** Writes what this thread's drain queued for the TUN (from {@link Inbound#endBatch}). */
    void flushTun() {
        try {
            tun.flushWrites();
        } catch (IOException | RuntimeException ex) {
            drops.add(DropReason.IO_ERROR);
        }
    }

    /** The peer opens new flows with what it sends: its {@code fromPeer} rules judge them. */
    private boolean admitted(Peer peer, Element e, int off, int len) {
        FlowFilter filter = peer.flowFilter; // one volatile read for a peer without filter
        return filter == null || filter.admit(e.buf, off, len, e.flow(), true, device.clock.nanoTime());
    }

    /** Cryptokey routing on receive (§2): the peer that owns the source address must be the sender. */
    private boolean sourceAllowed(Peer peer, byte[] b, int off, int len) {
        if (IpHeader.isIpv4(b, off, len)) {
            return allowedIps.lookup(b, off + IpHeader.IPV4_SOURCE_ADDRESS_OFFSET, false) == peer;
        }
        return allowedIps.lookup(b, off + IpHeader.IPV6_SOURCE_ADDRESS_OFFSET, true) == peer;
    }

    private void drop(Element e, DropReason reason) {
        drops.add(reason);
        pool.release(e);
    }
}
