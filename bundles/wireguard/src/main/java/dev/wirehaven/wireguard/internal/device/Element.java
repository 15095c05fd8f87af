package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.filter.PacketFlow;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One packet on its way through the device, in a pooled heap buffer. Outbound, the IP packet sits at
 * {@link #HEADROOM} so that the 16-byte transport header goes in front of it and the padding and tag
 * behind it without copying; inbound, the datagram is received at offset 0 and opened in place.
 *
 * <p>{@link #state} is the element's explicit progress: {@link #PENDING} while a crypto worker has it,
 * then {@link #DONE} or {@link #DROPPED}. The peer's in-order queue releases elements only in the
 * order they were queued, and only once they are no longer pending.
 */
final class Element {

    static final int PENDING = 0;
    static final int DONE = 1;
    static final int DROPPED = 2;

    /**
     * Room for the transport header (msg.type, msg.receiver, msg.counter) in front of an outbound packet:
     * the packet sits where msg.packet goes, as does the plaintext of an opened inbound one.
     */
    static final int HEADROOM = Transport.PACKET_OFFSET;
    /** Room for padding (up to 15 bytes) and the tag behind an outbound packet. */
    static final int TAILROOM = Protocol.PADDING_MULTIPLE + Protocol.TAG_SIZE;

    final byte[] buf;
    final ByteBuffer view;

    /**
     * Outbound: the IP packet length (at HEADROOM) until sealed, then the whole message length (at 0).
     * Inbound: the datagram length until opened, then the plaintext length (at HEADROOM).
     */
    int length;

    volatile int state;
    boolean outbound;
    Peer peer;
    Keypair keypair;
    long counter;
    InetSocketAddress source;
    /** The next element of the peer's in-order queue; guarded by that queue. */
    Element next;
    /** The next element of the crypto workers' chain this one travels in (see CryptoWorkers); owned by the chain. */
    Element chained;
    /** The parse buffer of a filtered peer's packets (created on first use, then kept with the buffer). */
    private PacketFlow flow;

    Element(int capacity) {
        this.buf = new byte[capacity];
        this.view = ByteBuffer.wrap(buf);
    }

    /** The element's parse buffer for {@link dev.wirehaven.wireguard.internal.filter.FlowFilter#admit}. */
    PacketFlow flow() {
        PacketFlow f = flow;
        if (f == null) {
            f = new PacketFlow();
            flow = f;
        }
        return f;
    }

    void reset() {
        length = 0;
        state = PENDING;
        outbound = false;
        peer = null;
        keypair = null;
        counter = 0;
        source = null;
        next = null;
        chained = null;
    }
}
