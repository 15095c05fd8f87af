package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.DropReason;

/**
 * A peer's outbound in-order queue: sealed elements reach {@link SendPath#transmit} in nonce order, one
 * at a time, and leave together at the end of the batch ({@link SendPath#flush}). Per batch of sends, the timers hear that authenticated packets (and data) were sent and
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
        peer.device.sendPath.transmit(peer, e);
    }

    /** From {@link #deliver}: one message left over UDP; {@code data} unless it was a keepalive. */
    void noteSent(boolean data) {
        sentAny = true;
        sentData |= data;
    }

    @Override
    void discard(Element e) {
        peer.device.pool.release(e);
    }

    @Override
    void endBatch() {
        peer.device.sendPath.flush(peer); // the batch leaves before the drain lets go of the queue
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
