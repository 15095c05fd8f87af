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
import dev.wirehaven.wireguard.internal.ratelimiter.TokenBucket;
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
 * <li>initiation or response: MAC1 has been verified by the UDP reader ({@code ReceivePath}) before the
 * message took a queue slot (cheap, and proves the sender knows our public key, which is public);</li>
 * <li>under load (the queue is past 1/8 of its capacity, or {@link #HANDSHAKES_PER_SECOND} messages
 * reached the Curve25519 stage within the last second; and for a second after): MAC2 must carry a
 * valid cookie for the source address, else the message is dropped and, within the global budget of
 * {@link #COOKIE_REPLIES_PER_SECOND}, a cookie reply goes back; then the source IP must be within its
 * rate limit;</li>
 * <li>only then the expensive Curve25519 work: consume the initiation and respond, or consume the
 * response and start the session.</li>
 * </ol>
 */
final class HandshakeWorker {

    /**
     * Cookie replies a second, whatever their destinations, in bursts of {@link #COOKIE_REPLY_BURST}.
     * A reply costs an XChaCha20-Poly1305 seal, two BLAKE2s MACs and a {@code sendto}, some 10-20 µs
     * on JDK 17 (an estimate): 500 a second is about 1% of a core. Answering every initiation with a valid MAC1
     * (the public key is public, so anyone can forge one) put 80 of 457 JFR samples of the flooded side
     * into replies to addresses that never asked (2026-12-04). Honest peers under load still
     * get replies within the budget: they retry every REKEY_TIMEOUT (5 s, §6.1) anyway, and 2,500 replies
     * per retry interval cover a reconnect storm of that many peers. During a spoofed flood of F
     * initiations a second an honest retry is answered with a chance of about 500/F; no per-source
     * budget helps there (the flooder picks any source), and the one-in-five-seconds retry keeps
     * trying. Over the budget the message is dropped under {@code RATE_LIMITED} (no reply sent).
     */
    static final int COOKIE_REPLIES_PER_SECOND = 500;

    static final int COOKIE_REPLY_BURST = 100;

    /**
     * Messages a second that may reach the Curve25519 stage while not under load, in bursts of
     * {@link #HANDSHAKE_BURST}; past it the device is under load (cookies demanded) for
     * UNDER_LOAD_AFTER_TIME. The queue-length trigger alone (wireguard-go's) fires only when the one
     * handshake worker falls behind, i.e. after it has taken a whole core: on two cores that core is
     * half of what the data path had. Consuming an initiation and answering it costs about five
     * X25519 operations, roughly 250 µs on JDK 17 with BouncyCastle (an estimate), so 250 a second bound that work to some
     * 6% of a core; an honest storm beyond it costs its peers one cookie round trip each (§5.3),
     * which is what the cookie mechanism is for.
     */
    static final int HANDSHAKES_PER_SECOND = 250;

    static final int HANDSHAKE_BURST = 50;

    private final Device device;
    private final BlockingQueue<Element> queue;
    private final int underLoadThreshold;
    private final CookieChecker checker;
    private final RateLimiter rateLimiter;
    private final TokenBucket cookieReplies;
    private final TokenBucket handshakeWork;
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
        this.cookieReplies = new TokenBucket(device.clock, COOKIE_REPLIES_PER_SECOND, COOKIE_REPLY_BURST);
        this.handshakeWork = new TokenBucket(device.clock, HANDSHAKES_PER_SECOND, HANDSHAKE_BURST);
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

    /**
     * Whether {@link #handle} would only drop this initiation or response under {@code RATE_LIMITED}:
     * the device is under load, the message has no cookie and this second's cookie replies are spent.
     * The reader asks before it queues a message, so that a forged-initiation flood past the reply
     * budget costs no queue slot and no wake-up of this worker, only the reader's MAC1 check. A reply
     * token that comes back between this answer and the worker's turn is one more drop, as if the
     * message had come a moment earlier.
     */
    boolean onlyRateLimits(byte[] buf, int len) {
        return underLoad() && CookieChecker.hasNoCookie(buf, len) && cookieReplies.isEmpty();
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

    /** Under load, or just came under it because the Curve25519 budget is spent. */
    private boolean underLoadOrOverBudget() {
        if (underLoad()) {
            return true;
        }
        if (handshakeWork.take()) {
            return false;
        }
        underLoadUntil = device.clock.nanoTime() + Protocol.UNDER_LOAD_AFTER_TIME;
        loaded = true;
        return true;
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
        // MAC1: checked by ReceivePath.queueHandshake
        if (underLoadOrOverBudget()) {
            byte[] src = sourceBytes(source);
            if (!checker.checkMac2(buf, len, src)) {
                if (!cookieReplies.take()) {
                    device.drop(DropReason.RATE_LIMITED); // a cookie reply over COOKIE_REPLIES_PER_SECOND
                    return;
                }
                device.drop(DropReason.BAD_MAC2);
                byte[] reply = checker.createReply(buf, len, senderIndex(buf), src);
                if (reply != null) {
                    device.net.send(ByteBuffer.wrap(reply), source);
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
