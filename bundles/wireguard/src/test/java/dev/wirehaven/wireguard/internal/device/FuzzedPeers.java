package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.crypto.TransportCiphers;
import dev.wirehaven.wireguard.internal.noise.Noise;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fixture of the receive-path fuzz test: device B, the target, with one real peer A, over the
 * in-memory network and TUN, with a controlled clock and no timer thread (so that nothing but the
 * fuzzer's datagrams reaches B while an input runs):
 *
 * <pre>
 *   tunA (10.0.0.1)                                         tunB (10.0.0.2, peer A filtered)
 *      |                                                       |
 *   device A [hostA:51820] ---- MemoryNetwork ---- [hostB:51821] device B  &lt;-- fuzzed datagrams
 *                                  ^                                          from A's endpoint or
 *                           strangers (v4, v6)                                strangers
 * </pre>
 *
 * The static keys are fixed, so that an initiation captured from A in one run (a seed) still carries a
 * valid MAC1 and a decryptable static key in the next one. A and B hold a live session, which the
 * harness uses to seal fuzzed plaintext as A would: the fuzzer then reaches the replay window, the
 * inner-packet checks, cryptokey routing and B's peer filter without forging anything.
 */
final class FuzzedPeers implements AutoCloseable {

    static final Key PRIVATE_A = fixedKey(0x41);
    static final Key PRIVATE_B = fixedKey(0x42);
    static final Key PUBLIC_A = Keys.publicFrom(PRIVATE_A);
    static final Key PUBLIC_B = Keys.publicFrom(PRIVATE_B);
    /** Sessions older than this (clock time) are replaced before the next input, well before REKEY_AFTER_TIME. */
    private static final long SESSION_REFRESH_NANOS = Duration.ofSeconds(90).toNanos();

    final TestClock clock = new TestClock();
    final MemoryNetwork net = new MemoryNetwork();
    final MemoryTun tunA = new MemoryTun("tunA", 1420);
    final MemoryTun tunB = new MemoryTun("tunB", 1420);
    final InetSocketAddress endpointA;
    final InetSocketAddress endpointB;
    final InetSocketAddress strangerV4;
    final InetSocketAddress strangerV6;
    final Device a;
    final Device b;
    /** B's threads, as started: every one must outlive every input. */
    final List<Thread> threadsOfB = new ArrayList<>();
    /** Responses (type 2) and cookie replies (type 3) that B sent, counted as they enter the network. */
    final AtomicLong responsesFromB = new AtomicLong();

    final AtomicLong cookieRepliesFromB = new AtomicLong();
    private final TransportCipher cipher = TransportCiphers.create();
    private final byte[] sealBuffer = new byte[Transport.PACKET_OFFSET + 65536 + Protocol.TAG_SIZE];
    private volatile Capture capture;

    /** Records the datagrams that the fixture's devices send, for the seed writer. */
    interface Capture {
        void sent(String who, byte[] datagram);
    }

    FuzzedPeers() throws IOException, ConfigException, InterruptedException {
        InetAddress hostA = net.newAddressV4();
        InetAddress hostB = net.newAddressV4();
        // B is dual-stack, as a server's socket is: a reply to an IPv6 stranger then leaves B, rather
        // than failing in the bind and being counted (rightly, under IO_ERROR) as a second, outbound drop
        InetAddress hostB6 = net.newAddressV6();
        endpointA = new InetSocketAddress(hostA, 51820);
        endpointB = new InetSocketAddress(hostB, 51821);
        strangerV4 = new InetSocketAddress(net.newAddressV4(), 40000);
        strangerV6 = new InetSocketAddress(net.newAddressV6(), 40001);
        net.setFilter((from, to, payload) -> {
            if (from.equals(endpointB) && payload.remaining() >= MessageLayout.TYPE_SIZE) {
                int type = payload.get(payload.position()) & 0xff;
                if (type == Protocol.MESSAGE_RESPONSE) {
                    responsesFromB.incrementAndGet();
                } else if (type == Protocol.MESSAGE_COOKIE_REPLY) {
                    cookieRepliesFromB.incrementAndGet();
                }
            }
            Capture c = capture;
            if (c != null) {
                byte[] copy = new byte[payload.remaining()];
                payload.duplicate().get(copy);
                c.sent(from.equals(endpointA) ? "A" : "B", copy);
            }
            return true;
        });
        DeviceOptions options = DeviceOptions.defaults().withCryptoWorkers(2);
        a = Device.create("fuzzA", tunA, net.factoryAt(hostA), options, clock, new SecureRandom(), false);
        b = Device.create("fuzzB", tunB, net.factoryAt(hostB, hostB6), options, clock, new SecureRandom(), false);
        a.configure(tx -> {
            tx.privateKey(PRIVATE_A);
            tx.listenPort(endpointA.getPort());
            var p = tx.peer(PUBLIC_B, false);
            p.endpoint(endpointB);
            p.addAllowedIp(Cidr.parse("10.0.0.2/32"));
            p.addAllowedIp(Cidr.parse("fd00::2/128"));
        });
        b.configure(tx -> {
            tx.privateKey(PRIVATE_B);
            tx.listenPort(endpointB.getPort());
            var p = tx.peer(PUBLIC_A, false);
            p.endpoint(endpointA);
            p.addAllowedIp(Cidr.parse("10.0.0.1/32"));
            p.addAllowedIp(Cidr.parse("fd00::1/128"));
            p.filter(filter());
        });
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fuzzB-")) {
                threadsOfB.add(t);
            }
        }
        refreshSession();
    }

    /** Some rules, so that fuzzed inner packets also go through B's flow filter (and its denials). */
    private static PeerFilter filter() {
        Cidr b4 = Cidr.parse("10.0.0.2/32");
        Cidr b6 = Cidr.parse("fd00::2/128");
        List<FlowRule> stage = List.of(
                new FlowRule("no-telnet", false, b4, 6, 23, 23),
                new FlowRule("icmp", true, b4, 1, 0, 0),
                new FlowRule("icmp6", true, b6, 58, 0, 0),
                new FlowRule("udp4", true, b4, 17, 0, 0),
                new FlowRule("udp6", true, b6, 17, 0, 0),
                new FlowRule("low-tcp", true, b4, 6, 1, 1024));
        return new PeerFilter(List.of(stage), List.of());
    }

    /** A private key of 32 fixed bytes (X25519 clamps it when used). */
    private static Key fixedKey(int seed) {
        byte[] k = new byte[Key.LENGTH];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i * 7);
        }
        return Key.of(k);
    }

    void capture(Capture c) {
        this.capture = c;
    }

    /**
     * Makes sure A holds a session with B that is younger than {@link #SESSION_REFRESH_NANOS} and that B
     * has confirmed (by receiving a real packet from A on it): a fresh handshake if not.
     */
    void refreshSession() throws InterruptedException, IOException {
        Keypair kp = a.peer(PUBLIC_B).keypairs.current();
        if (kp == null || clock.nanoTime() - kp.created >= SESSION_REFRESH_NANOS) {
            handshake();
        }
    }

    /** A fresh handshake initiated by A, confirmed at B by a real packet. */
    void handshake() throws InterruptedException, IOException {
        Keypair kp = a.peer(PUBLIC_B).keypairs.current();
        // past REKEY_TIMEOUT, so that A may initiate again, and past the flood interval at B
        clock.advance(Duration.ofSeconds(6));
        Peer peer = a.peer(PUBLIC_B);
        peer.sendHandshakeInitiation(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (peer.keypairs.current() == kp || peer.keypairs.current() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("A and B did not complete a handshake: drops at B "
                        + b.snapshot().drops());
            }
            Thread.yield();
        }
        assertForwards(0);
    }

    /**
     * A real packet from A's TUN crosses A's send path and B's receive path to B's TUN: B still
     * forwards after whatever came before. Leaves B's TUN empty.
     */
    void assertForwards(int tag) throws InterruptedException, IOException {
        drainTunB();
        byte[] probe = Packets.ipv4("10.0.0.1", "10.0.0.2", 32, tag);
        tunA.inject(probe);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            byte[] got = tunB.poll(100, TimeUnit.MILLISECONDS);
            if (got != null && Arrays.equals(probe, got)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("B no longer forwards a real packet from A; drops at B "
                        + b.snapshot().drops());
            }
        }
    }

    void drainTunB() throws InterruptedException {
        while (tunB.poll(0, TimeUnit.MILLISECONDS) != null) {
            // discard what earlier inputs had B write
        }
    }

    /**
     * A transport data message carrying {@code plain} as A would seal it on its current session (§5.4.6),
     * without padding (the padding, if any, is the fuzzer's part of {@code plain}).
     *
     * @param counterBack 0 for the next counter, n &gt; 0 for the counter n before it (a replay or a late packet)
     */
    byte[] sealAsA(byte[] plain, int off, int len, int counterBack) {
        Keypair kp = a.peer(PUBLIC_B).keypairs.current();
        long counter =
                counterBack == 0 ? kp.sendCounter.getAndIncrement() : Math.max(0, kp.sendCounter.get() - counterBack);
        byte[] buf = sealBuffer;
        Noise.putIntLE(buf, MessageLayout.TYPE_OFFSET, Protocol.MESSAGE_TRANSPORT);
        Noise.putIntLE(buf, Transport.RECEIVER_OFFSET, kp.remoteIndex);
        Noise.putLongLE(buf, Transport.COUNTER_OFFSET, counter);
        System.arraycopy(plain, off, buf, Transport.PACKET_OFFSET, len);
        int sealed = cipher.seal(kp.sendKey, counter, buf, Transport.PACKET_OFFSET, len);
        return Arrays.copyOf(buf, Transport.PACKET_OFFSET + sealed);
    }

    /** Every packet B dropped so far, over all reasons. */
    long dropsAtB() {
        long sum = 0;
        for (DropReason r : DropReason.values()) {
            sum += b.drops(r);
        }
        return sum;
    }

    /**
     * Every datagram that B accepted so far, by what accepting it leaves behind: an inner packet on B's
     * TUN, a keepalive counted, or (for an initiation) a response sent.
     */
    long acceptedByB() {
        return tunB.pendingWritten() + b.keepalivesReceived(PUBLIC_A) + responsesFromB.get();
    }

    /** The first of B's threads that died, or null. */
    Thread deadThreadOfB() {
        for (Thread t : threadsOfB) {
            if (!t.isAlive()) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
