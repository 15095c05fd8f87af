package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.filter.FlowFilter;
import dev.wirehaven.wireguard.internal.noise.CookieGenerator;
import dev.wirehaven.wireguard.internal.noise.Handshake;
import dev.wirehaven.wireguard.internal.noise.Indices;
import dev.wirehaven.wireguard.internal.noise.SessionKeys;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote WireGuard peer: its handshake, keypairs, timers, staged packets, in-order queues and
 * counters. No thread of its own: its work runs on the device's readers, crypto workers, handshake
 * worker and timer thread, so an idle peer costs only memory.
 *
 * <p>The peer's stage of the {@link SendPath}: {@link #sendPacket} stages a packet; {@link #sendStaged}
 * (under the peer's send lock) takes the current keypair, assigns the next nonce counter and appends the
 * element to {@link #outbound} in that order, then hands it to the crypto workers. Without a usable
 * keypair the packet stays staged and a handshake starts.
 *
 * <p>A peer may have an owner (who created it with {@code ownedPeer}) and a filter: its
 * {@link FlowFilter}, which both paths ask before they let a packet pass, and which exists only while
 * a filter is set.
 */
final class Peer implements Indices, PeerTimers.Actions {

    final Device device;
    final Key publicKey;
    final long order;
    /** Who created the peer ({@code ownedPeer}); null for a peer of the operator (UAPI, static). */
    final String owner;

    final Handshake handshake;
    final CookieGenerator cookies;
    final Keypairs keypairs = new Keypairs();
    final PeerTimers timers;
    final Outbound outbound;
    final Inbound inbound;
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();
    final AtomicLong keepalivesReceived = new AtomicLong();
    final AtomicLong rxPackets = new AtomicLong();
    final AtomicLong txPackets = new AtomicLong();

    volatile InetSocketAddress endpoint;
    volatile Key presharedKey;
    volatile int persistentKeepaliveSeconds;
    volatile long lastHandshakeEpochNanos;
    volatile boolean removed;
    /** Null without filter: then the packet path pays one volatile read for access control. */
    volatile FlowFilter flowFilter;
    /**
     * Packets of this peer dropped because their inner source is not one of its allowed IPs (a
     * spoofed source). Written only on the peer's inbound drain ({@link #countDisallowedSource}),
     * which one thread at a time runs, each drainer ordered after the last by the queue's
     * {@code draining} flag: a single writer, so a plain read-then-write of a volatile loses no update,
     * costs no atomic instruction and allocates nothing, and the volatile makes the snapshot thread
     * read a whole (never torn), current value. 8 bytes per peer, unlike an {@code AtomicLong} or
     * {@code LongAdder} object.
     */
    private volatile long disallowedSourcePackets;
    /** Gaps in the transport counters of this peer's keypairs: its packets lost on the way. */
    private volatile long lostPackets;

    private final Object sendLock = new Object();
    private ArrayDeque<Element> staged; // guarded by sendLock, created on first use

    Peer(Device device, Key publicKey, long order, String owner) {
        this.device = device;
        this.publicKey = publicKey;
        this.order = order;
        this.owner = owner;
        byte[] pk = publicKey.toBytes();
        this.handshake = new Handshake(pk, device.clock, device.random, this);
        this.handshake.setIdentity(device.identity());
        this.cookies = new CookieGenerator(pk, device.clock);
        this.timers = new PeerTimers(device.timerService, device.clock, device.timerJitter, this);
        this.outbound = new Outbound(this);
        this.inbound = new Inbound(this);
    }

    // ---- Indices: this peer's handshake indices in the device's table ----

    @Override
    public int allocate() {
        return device.indexTable.allocateForHandshake(this);
    }

    @Override
    public void release(int index) {
        device.indexTable.remove(index);
    }

    // ---- sending transport data ----

    /** Takes an outbound IP packet (at {@link Element#HEADROOM}, {@code e.length} bytes) for this peer. */
    void sendPacket(Element e) {
        synchronized (sendLock) {
            if (removed) {
                device.pool.release(e);
                return;
            }
            stage(e);
        }
        sendStaged();
    }

    /** Sends an empty transport packet (whitepaper §6.5), unless packets are already waiting to go. */
    void sendKeepalive() {
        synchronized (sendLock) {
            if (removed) {
                return;
            }
            if (staged == null || staged.isEmpty()) {
                Element e = device.pool.acquire();
                e.length = 0;
                stage(e);
            }
        }
        sendStaged();
    }

    /** Seals and sends the staged packets with the current keypair, or starts a handshake if there is none. */
    void sendStaged() {
        int patience = InOrderQueue.FULL_QUEUE_PATIENCE;
        while (true) {
            Element e;
            boolean full = false;
            synchronized (sendLock) {
                if (removed || staged == null || staged.isEmpty()) {
                    return;
                }
                Keypair kp = keypairs.current();
                if (outbound.size() >= device.options.peerQueueCapacity()) {
                    // the nonce is only taken once there is room, so that queue order stays nonce order
                    full = true;
                    e = null;
                } else {
                    long counter = kp == null ? 0 : kp.sendCounter.getAndIncrement();
                    if (kp == null
                            || device.clock.nanoTime() - kp.created >= Protocol.REJECT_AFTER_TIME
                            || Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
                        if (kp != null) {
                            kp.retireForSending();
                        }
                        e = null;
                    } else {
                        e = staged.poll();
                        e.peer = this;
                        e.keypair = kp;
                        e.counter = counter;
                        e.outbound = true;
                        e.state = Element.PENDING;
                        outbound.offer(e, Integer.MAX_VALUE); // room was checked under the same lock
                    }
                }
            }
            if (full) {
                // outside the send lock: helping may deliver other peers' packets, which takes their locks
                if (--patience > 0) {
                    device.workers.helpOrYield();
                    continue;
                }
                synchronized (sendLock) {
                    if (staged != null && !staged.isEmpty()) {
                        device.drop(DropReason.QUEUE_FULL);
                        device.pool.release(staged.poll());
                    }
                }
                patience = InOrderQueue.FULL_QUEUE_PATIENCE;
                continue;
            }
            if (e == null) {
                sendHandshakeInitiation(false);
                return;
            }
            patience = InOrderQueue.FULL_QUEUE_PATIENCE;
            device.workers.submit(e);
        }
    }

    private void stage(Element e) {
        if (staged == null) {
            staged = new ArrayDeque<>(16);
        }
        if (staged.size() >= device.options.stagedPacketsPerPeer()) {
            device.drop(DropReason.QUEUE_FULL);
            device.pool.release(staged.poll());
        }
        staged.add(e);
    }

    /** Drops every staged packet (a handshake that never completed, §6.4). */
    void flushStaged() {
        synchronized (sendLock) {
            if (staged == null) {
                return;
            }
            Element e;
            while ((e = staged.poll()) != null) {
                device.drop(DropReason.NO_SESSION);
                device.pool.release(e);
            }
            staged = null;
        }
    }

    int stagedCount() {
        synchronized (sendLock) {
            return staged == null ? 0 : staged.size();
        }
    }

    /** After sending: rekey once the keypair is old or used enough (wireguard-go keepKeyFreshSending). */
    void keepKeyFreshSending() {
        Keypair kp = keypairs.current();
        if (kp == null) {
            return;
        }
        long now = device.clock.nanoTime();
        if (Long.compareUnsigned(kp.sendCounter.get(), Protocol.REKEY_AFTER_MESSAGES) > 0
                || (kp.initiator && now - kp.created > Protocol.REKEY_AFTER_TIME)) {
            sendHandshakeInitiation(false);
        }
    }

    /** After receiving: an initiator whose keypair nears REJECT_AFTER_TIME rekeys once (keepKeyFreshReceiving). */
    void keepKeyFreshReceiving() {
        Keypair kp = keypairs.current();
        if (kp != null
                && kp.initiator
                && device.clock.nanoTime() - kp.created > Protocol.REKEY_AFTER_TIME_RECEIVING
                && timers.claimLastMinuteHandshake()) {
            sendHandshakeInitiation(false);
        }
    }

    // ---- handshakes ----

    /** Sends an initiation unless one went out in the last REKEY_TIMEOUT (§6.4). */
    void sendHandshakeInitiation(boolean isRetry) {
        if (!isRetry) {
            timers.resetHandshakeAttempts();
        }
        if (removed || !handshake.claimInitiationSlot()) {
            return;
        }
        byte[] msg = handshake.createInitiation(device.identity());
        if (msg == null) {
            return;
        }
        cookies.addMacs(msg);
        timers.anyAuthenticatedPacketTraversal(persistentKeepaliveSeconds);
        timers.anyAuthenticatedPacketSent();
        // armed before the send: a response handled on another thread before this thread got here
        // would otherwise find no timer to disarm, and the late arming would retransmit a completed handshake
        timers.handshakeInitiated();
        sendHandshakeMessage(msg);
    }

    /** Answers the initiation just consumed and derives the (unconfirmed) session. */
    void sendHandshakeResponse() {
        handshake.markSent();
        byte[] msg = handshake.createResponse(device.identity());
        if (msg == null) {
            return;
        }
        cookies.addMacs(msg);
        SessionKeys keys = handshake.deriveSession();
        if (keys == null) {
            return;
        }
        beginSession(keys);
        timers.sessionDerived();
        timers.anyAuthenticatedPacketTraversal(persistentKeepaliveSeconds);
        timers.anyAuthenticatedPacketSent();
        sendHandshakeMessage(msg);
    }

    /** After the handshake worker accepted an initiation from this peer. */
    void initiationConsumed(InetSocketAddress source, int length) {
        timers.anyAuthenticatedPacketTraversal(persistentKeepaliveSeconds);
        timers.anyAuthenticatedPacketReceived();
        setEndpoint(source);
        rxBytes.addAndGet(length);
        sendHandshakeResponse();
    }

    /** After the handshake worker accepted a response to our initiation. */
    void responseConsumed(InetSocketAddress source, int length) {
        setEndpoint(source);
        rxBytes.addAndGet(length);
        timers.anyAuthenticatedPacketTraversal(persistentKeepaliveSeconds);
        timers.anyAuthenticatedPacketReceived();
        SessionKeys keys = handshake.deriveSession();
        if (keys == null) {
            return;
        }
        Keypair kp = beginSession(keys);
        // the keypair's creation time is "now": from the initiation that succeeded to its response consumed
        device.completedHandshakes.record(kp.created - keys.sentNanos());
        timers.sessionDerived();
        handshakeComplete();
        sendKeepalive(); // confirms the session to the responder (§5.4.6) and flushes staged packets
    }

    void handshakeComplete() {
        timers.handshakeComplete();
        lastHandshakeEpochNanos = device.clock.epochNanos();
    }

    private Keypair beginSession(SessionKeys keys) {
        Keypair kp = new Keypair(this, keys, device.clock.nanoTime());
        device.indexTable.swapForKeypair(kp.localIndex, kp);
        deleteKeypairs(keypairs.install(kp));
        if (removed) {
            deleteKeypairs(keypairs.clear());
        }
        return kp;
    }

    /**
     * A responder's first packet on its "next" keypair confirms it (§5.4.6): the handshake is complete,
     * its latency measured from the keypair's creation, just before the response went out.
     */
    void confirmed(Keypair kp) {
        List<Keypair> dropped = keypairs.confirm(kp);
        if (dropped != null) {
            device.completedHandshakes.record(device.clock.nanoTime() - kp.created);
            deleteKeypairs(dropped);
            handshakeComplete();
            sendStaged();
        }
    }

    void deleteKeypairs(List<Keypair> list) {
        for (Keypair kp : list) {
            device.indexTable.remove(kp.localIndex);
            kp.destroy();
        }
    }

    private void sendHandshakeMessage(byte[] msg) {
        InetSocketAddress to = endpoint;
        if (to == null) {
            return; // retried by the timers until an endpoint is known or REKEY_ATTEMPT_TIME passes
        }
        if (device.net.send(ByteBuffer.wrap(msg), to)) {
            txBytes.addAndGet(msg.length);
        }
    }

    void setEndpoint(InetSocketAddress source) {
        if (source != null && !source.equals(endpoint)) {
            endpoint = source;
        }
    }

    // ---- timers (whitepaper §6; wireguard-go's expired* functions) ----

    @Override
    public void expired(int timer) {
        try {
            switch (timer) {
                case PeerTimers.RETRANSMIT_HANDSHAKE -> {
                    if (timers.tryAnotherAttempt()) {
                        sendHandshakeInitiation(true);
                    } else {
                        // give up (§6.4): drop what waited for the session, erase leftovers later
                        timers.disarmKeepalive();
                        flushStaged();
                        timers.armZeroKeyMaterialIfIdle();
                    }
                }
                case PeerTimers.SEND_KEEPALIVE -> {
                    sendKeepalive();
                    timers.keepaliveSent();
                }
                case PeerTimers.NEW_HANDSHAKE -> sendHandshakeInitiation(false);
                case PeerTimers.ZERO_KEY_MATERIAL -> zeroAndFlushAll();
                case PeerTimers.PERSISTENT_KEEPALIVE -> {
                    if (persistentKeepaliveSeconds > 0) {
                        sendKeepalive();
                    }
                }
                default -> throw new IllegalArgumentException("timer " + timer);
            }
        } catch (RuntimeException e) {
            device.drop(DropReason.IO_ERROR);
        }
    }

    /** Erases every keypair and the handshake state, and drops staged packets (§6, 3 × REJECT_AFTER_TIME). */
    void zeroAndFlushAll() {
        deleteKeypairs(keypairs.clear());
        handshake.clear();
        flushStaged();
    }

    /** After our private key changed: no more sending on old keys, and a fresh handshake may go out at once. */
    void expireCurrentKeypairs() {
        handshake.clear();
        handshake.allowImmediateInitiation();
        keypairs.expireForSending();
    }

    void setPresharedKey(Key psk) {
        Key k = psk == null || psk.isZero() ? null : psk;
        presharedKey = k;
        handshake.setPresharedKey(k == null ? null : k.toBytes());
    }

    /** Stops the peer for good: timers, queues and keys. In-flight elements are discarded as they finish. */
    void remove() {
        removed = true;
        timers.stop();
        flushStaged();
        zeroAndFlushAll();
    }

    /**
     * Puts {@code filter} in force, or removes the filter and its flows with {@code null}; under the
     * device's configuration lock. The flow table exists from the first filter on.
     */
    void setFilter(PeerFilter filter) {
        if (filter == null) {
            flowFilter = null;
            return;
        }
        FlowFilter current = flowFilter;
        if (current == null) {
            flowFilter = new FlowFilter(filter, device.options.flowsPerPeer(), device.random.nextLong());
        } else {
            current.replace(filter);
        }
    }

    /** Counts one packet dropped under {@code DISALLOWED_SOURCE}; only on this peer's inbound drain. */
    void countDisallowedSource() {
        long counted = disallowedSourcePackets;
        disallowedSourcePackets = counted + 1;
    }

    /**
     * Adds {@code delta} packets to those lost (negative when a late one filled a gap); only on this
     * peer's inbound drain.
     */
    void countLost(long delta) {
        long counted = lostPackets;
        lostPackets = counted + delta;
    }

    PeerSnapshot snapshot(List<Cidr> allowedIps) {
        FlowFilter filter = flowFilter;
        return new PeerSnapshot(
                publicKey,
                presharedKey,
                endpoint,
                persistentKeepaliveSeconds,
                allowedIps,
                lastHandshakeEpochNanos,
                rxBytes.get(),
                txBytes.get(),
                owner,
                rxPackets.get(),
                txPackets.get(),
                filter != null,
                filter == null ? 0 : filter.openFlows(device.clock.nanoTime()),
                filter == null ? Map.of() : filter.deniedByRule(),
                filter == null ? 0 : filter.deniedDestinations(),
                disallowedSourcePackets,
                filter == null ? Map.of() : filter.allowedFlowsByRule(),
                Math.max(0, lostPackets));
    }
}
