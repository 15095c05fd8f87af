package dev.wirehaven.wireguard.internal.device;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.Protocol;

/**
 * A peer's inbound in-order queue. Delivery stage of the receive path, for each opened element in
 * arrival order: the replay window (only now, after authentication); key confirmation of a "next"
 * keypair; the keepalive check; the inner packet's IP header; the source address against this peer's
 * allowed IPs (cryptokey routing, whitepaper §2); the write to the TUN device. Per batch: roaming
 * (the endpoint becomes the source of the newest authenticated packet) and the timers.
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
        Device device = peer.device;
        try {
            if (peer.removed) {
                return;
            }
            Keypair kp = e.keypair;
            if (!kp.replay.accept(e.counter)) {
                device.drop(DropReason.REPLAY);
                return;
            }
            lastSource = e.source;
            if (kp == peer.keypairs.next()) {
                peer.confirmed(kp);
            }
            int len = e.length;
            peer.rxBytes.addAndGet(len + Protocol.KEEPALIVE_SIZE);
            if (len == 0) {
                peer.keepalivesReceived.incrementAndGet();
                return;
            }
            receivedData = true;
            byte[] b = e.buf;
            int off = Element.HEADROOM;
            int version = (b[off] & 0xff) >>> 4;
            int srcOff;
            boolean v6;
            if (version == 4 && len >= 20) {
                int total = u16(b, off + 2);
                if (total > len || total < 20) {
                    device.drop(DropReason.BAD_INNER_PACKET);
                    return;
                }
                len = total;
                srcOff = off + 12;
                v6 = false;
            } else if (version == 6 && len >= 40) {
                int total = u16(b, off + 4) + 40;
                if (total > len) {
                    device.drop(DropReason.BAD_INNER_PACKET);
                    return;
                }
                len = total;
                srcOff = off + 8;
                v6 = true;
            } else {
                device.drop(DropReason.BAD_INNER_PACKET);
                return;
            }
            if (device.allowedIps.lookup(b, srcOff, v6) != peer) {
                device.drop(DropReason.DISALLOWED_SOURCE);
                return;
            }
            device.tun.write(b, off, len);
        } catch (IOException | RuntimeException ex) {
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

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
