package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.TransportKey;
import dev.wirehaven.wireguard.internal.noise.SessionKeys;
import dev.wirehaven.wireguard.internal.replay.ReplayFilter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport session (whitepaper §5.4.5-§5.4.6): the two keys a handshake derived, the indices that
 * label it, its send counter and its receive replay window.
 */
final class Keypair {

    final Peer peer;
    final TransportKey sendKey;
    final TransportKey receiveKey;
    final long created;
    final boolean initiator;
    final int localIndex;
    final int remoteIndex;
    /** The next send counter; set to REJECT_AFTER_MESSAGES to retire the keypair for sending. */
    final AtomicLong sendCounter = new AtomicLong();
    /** Used only by the peer's in-order inbound drain, which is serial. */
    final ReplayFilter replay = new ReplayFilter();

    Keypair(Peer peer, SessionKeys keys, long created) {
        this.peer = peer;
        byte[] send = keys.sendKey();
        byte[] receive = keys.receiveKey();
        this.sendKey = new TransportKey(send);
        this.receiveKey = new TransportKey(receive);
        // TransportKey keeps copies of its own: clear the ones we were handed, and the handshake's
        java.util.Arrays.fill(send, (byte) 0);
        java.util.Arrays.fill(receive, (byte) 0);
        keys.destroy();
        this.created = created;
        this.initiator = keys.initiator();
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
    }

    /** Whether this keypair may still seal: below REJECT_AFTER_MESSAGES and younger than REJECT_AFTER_TIME. */
    boolean canSend(long now) {
        return Long.compareUnsigned(sendCounter.get(), Protocol.REJECT_AFTER_MESSAGES) < 0
                && now - created < Protocol.REJECT_AFTER_TIME;
    }

    /** Whether this keypair may still open: younger than REJECT_AFTER_TIME. */
    boolean canReceive(long now) {
        return now - created < Protocol.REJECT_AFTER_TIME;
    }

    void retireForSending() {
        sendCounter.set(Protocol.REJECT_AFTER_MESSAGES);
    }

    void destroy() {
        retireForSending();
        sendKey.destroy();
        receiveKey.destroy();
    }
}
