package dev.wirehaven.wireguard.internal.device;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.Protocol;

/**
 * A peer's outbound in-order queue. Delivery stage of the send path: sealed elements leave over the
 * bind in nonce order; per batch, the timers hear that authenticated packets (and data) were sent and
 * the keypair's freshness is checked (wireguard-go's RoutineSequentialSender).
 */
final class Outbound extends InOrderQueue {

    private final Peer peer;
    // batch state, touched only by the (serial) drain
    private boolean sentAny;
    private boolean sentData;

    Outbound(Peer peer) {
        this.peer = peer;
    }

    @Override
    void deliver(Element e) {
        Device device = peer.device;
        try {
            if (peer.removed) {
                device.drop(DropReason.NO_SESSION);
                return;
            }
            InetSocketAddress to = peer.endpoint;
            if (to == null) {
                device.drop(DropReason.NO_ENDPOINT);
                return;
            }
            ByteBuffer view = e.view;
            view.clear().limit(e.length);
            if (device.send(view, to)) {
                peer.txBytes.addAndGet(e.length);
                sentAny = true;
                sentData |= e.length != Protocol.KEEPALIVE_SIZE;
            }
        } catch (RuntimeException ex) {
            device.drop(DropReason.IO_ERROR);
        } finally {
            device.pool.release(e);
        }
    }

    @Override
    void discard(Element e) {
        peer.device.pool.release(e);
    }

    @Override
    void endBatch() {
        if (!sentAny) {
            return;
        }
        boolean data = sentData;
        sentAny = false;
        sentData = false;
        try {
            peer.timers.anyAuthenticatedPacketTraversal(peer.persistentKeepaliveSeconds);
            peer.timers.anyAuthenticatedPacketSent();
            if (data) {
                peer.timers.dataSent();
            }
            peer.keepKeyFreshSending();
        } catch (RuntimeException ex) {
            peer.device.drop(DropReason.IO_ERROR);
        }
    }
}
