package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.CookieReply;
import dev.wirehaven.wireguard.internal.MessageLayout.Initiation;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.noise.CookieChecker;
import dev.wirehaven.wireguard.internal.noise.Handshake;
import dev.wirehaven.wireguard.internal.noise.InitiationPrefix;
import dev.wirehaven.wireguard.internal.noise.Noise;
import dev.wirehaven.wireguard.internal.noise.StaticIdentity;
import dev.wirehaven.wireguard.internal.ratelimiter.RateLimiter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Handles handshake messages off the packet path, on its own thread(s), in this order (whitepaper
 * §5.3, wireguard-go's RoutineHandshake):
 * <ol>
 * <li>cookie reply: find the peer by receiver index, take the cookie;</li>
 * <li>initiation or response: MAC1 must verify (cheap, and proves the sender knows our public key);</li>
 * <li>under load (the queue is past 1/8 of its capacity, and for a second after): MAC2 must carry a
 * valid cookie for the source address, else a cookie reply goes back and the message is dropped;
 * then the source IP must be within its rate limit;</li>
 * <li>only then the expensive Curve25519 work: consume the initiation and respond, or consume the
 * response and start the session.</li>
 * </ol>
 */
final class HandshakeWorker {

    private final Device device;
    private final BlockingQueue<Element> queue;
    private final int underLoadThreshold;
    private final CookieChecker checker;
    private final RateLimiter rateLimiter;
    private final Thread[] threads;
    private volatile boolean loaded;
    private volatile long underLoadUntil;
    private volatile boolean forceUnderLoad;
    private volatile boolean closed;

    HandshakeWorker(Device device, CookieChecker checker, RateLimiter rateLimiter) {
        this.device = device;
        int capacity = device.options.handshakeQueueCapacity();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.underLoadThreshold = Math.max(1, capacity / 8);
        this.checker = checker;
        this.rateLimiter = rateLimiter;
        this.threads = new Thread[device.options.handshakeWorkers()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(this::run, device.name() + "-handshake-" + i);
            threads[i].setDaemon(true);
        }
    }

    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Queues a handshake message; false (the caller drops it) when the queue is full. */
    boolean offer(Element e) {
        return !closed && queue.offer(e);
    }

    /** Test hook: behave as if under load (demand cookies) regardless of the queue. */
    void forceUnderLoad(boolean on) {
        forceUnderLoad = on;
    }

    boolean underLoad() {
        if (forceUnderLoad) {
            return true;
        }
        long now = device.clock.nanoTime();
        if (queue.size() >= underLoadThreshold) {
            underLoadUntil = now + Protocol.UNDER_LOAD_AFTER_TIME;
            loaded = true;
            return true;
        }
        return loaded && now - underLoadUntil < 0;
    }

    private void run() {
        while (!closed) {
            Element e;
            try {
                e = queue.take();
            } catch (InterruptedException ex) {
                return;
            }
            try {
                handle(e.buf, e.length, e.source);
            } catch (RuntimeException ex) {
                device.drop(DropReason.BAD_HANDSHAKE);
            } finally {
                device.pool.release(e);
            }
        }
    }

    void handle(byte[] buf, int len, InetSocketAddress source) {
        int type = Noise.getIntLE(buf, MessageLayout.TYPE_OFFSET);
        if (type == Protocol.MESSAGE_COOKIE_REPLY) {
            IndexTable.Entry entry = device.indexTable.lookup(Noise.getIntLE(buf, CookieReply.RECEIVER_OFFSET));
            if (entry == null) {
                device.drop(DropReason.UNKNOWN_INDEX);
            } else if (!entry.peer().cookies.consumeReply(Arrays.copyOf(buf, len))) {
                device.drop(DropReason.BAD_HANDSHAKE);
            }
            return;
        }
        if (!checker.checkMac1(buf, len)) {
            device.drop(DropReason.BAD_MAC1);
            return;
        }
        if (underLoad()) {
            byte[] src = sourceBytes(source);
            if (!checker.checkMac2(buf, len, src)) {
                device.drop(DropReason.BAD_MAC2);
                byte[] reply = checker.createReply(buf, len, senderIndex(buf), src);
                if (reply != null) {
                    device.send(ByteBuffer.wrap(reply), source);
                }
                return;
            }
            // over its budget, or new while the limiter's table is full (RateLimiter.MAX_TRACKED_SOURCES)
            if (!rateLimiter.allow(source.getAddress())) {
                device.drop(DropReason.RATE_LIMITED);
                return;
            }
        }
        byte[] msg = Arrays.copyOf(buf, len);
        if (type == Protocol.MESSAGE_INITIATION) {
            consumeInitiation(msg, source);
        } else {
            consumeResponse(msg, source);
        }
    }

    private void consumeInitiation(byte[] msg, InetSocketAddress source) {
        StaticIdentity identity = device.identity();
        InitiationPrefix prefix = identity == null ? null : InitiationPrefix.read(identity, msg);
        Peer peer = prefix == null ? null : device.peer(Key.of(prefix.initiatorStatic()));
        if (peer == null || peer.removed) {
            device.drop(DropReason.BAD_HANDSHAKE);
            return;
        }
        switch (peer.handshake.consumeInitiation(prefix, msg)) {
            case ACCEPTED -> peer.initiationConsumed(source, msg.length);
            case REPLAY -> device.drop(DropReason.HANDSHAKE_REPLAY);
            case FLOOD -> device.drop(DropReason.HANDSHAKE_FLOOD);
            default -> device.drop(DropReason.BAD_HANDSHAKE);
        }
    }

    private void consumeResponse(byte[] msg, InetSocketAddress source) {
        IndexTable.Entry entry = device.indexTable.lookup(Handshake.responseReceiver(msg));
        if (entry == null || entry.keypair() != null) {
            device.drop(DropReason.UNKNOWN_INDEX);
            return;
        }
        Peer peer = entry.peer();
        if (peer.removed || !peer.handshake.consumeResponse(device.identity(), msg)) {
            device.drop(DropReason.BAD_HANDSHAKE);
            return;
        }
        peer.responseConsumed(source, msg.length);
    }

    /** msg.sender of an initiation or a response: the index that a cookie reply goes back to (§5.4.7). */
    private static int senderIndex(byte[] msg) {
        // both messages carry it at the same place (MessageLayoutTest holds them to it)
        return Noise.getIntLE(msg, Initiation.SENDER_OFFSET);
    }

    /** A_m of §5.4.7: the source IP address bytes followed by the port (big-endian). */
    static byte[] sourceBytes(InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (source.getPort() >>> 8);
        out[ip.length + 1] = (byte) source.getPort();
        return out;
    }

    void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Element e;
        while ((e = queue.poll()) != null) {
            device.pool.release(e);
        }
    }
}
