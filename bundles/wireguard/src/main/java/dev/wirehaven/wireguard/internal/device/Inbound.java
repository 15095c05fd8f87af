package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.DropReason;
import java.net.InetSocketAddress;

/**
 * A peer's inbound in-order queue: opened elements reach {@link ReceivePath#deliver} in arrival order,
 * one at a time. Per batch of deliveries, what they add up to for the peer: roaming (the endpoint
 * becomes the source of the newest authenticated packet, whitepaper §2.1) and the timers (§6).
 */
final class Inbound extends InOrderQueue {

    private final Peer peer;
    // batch state, touched only by the (serial) drain
    private InetSocketAddress lastSource;
    private boolean receivedData;

    Inbound(Peer peer) {
        this.peer = peer;
    }

    @Override
    void deliver(Element e) {
        peer.device.receivePath.deliver(peer, e);
    }

    /** From {@link #deliver}: a packet from {@code source} passed authentication and the replay window. */
    void noteAuthenticated(InetSocketAddress source) {
        lastSource = source;
    }

    /** From {@link #deliver}: that packet carried data (it was no keepalive). */
    void noteData() {
        receivedData = true;
    }

    @Override
    void discard(Element e) {
        peer.device.pool.release(e);
    }

    @Override
    void endBatch() {
        peer.device.receivePath.flushTun(); // the batch's packets reach the TUN before the drain lets go
        InetSocketAddress source = lastSource;
        boolean data = receivedData;
        lastSource = null;
        receivedData = false;
        if (source == null) {
            return;
        }
        try {
            peer.setEndpoint(source);
            peer.keepKeyFreshReceiving();
            peer.timers.anyAuthenticatedPacketTraversal(peer.persistentKeepaliveSeconds);
            peer.timers.anyAuthenticatedPacketReceived();
            if (data) {
                peer.timers.dataReceived();
            }
        } catch (RuntimeException ex) {
            peer.device.drop(DropReason.IO_ERROR);
        }
    }
}
