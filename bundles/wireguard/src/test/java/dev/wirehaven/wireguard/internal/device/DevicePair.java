package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.internal.noise.Noise;
import dev.wirehaven.wireguard.internal.time.Clock;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two devices in one process, joined by a {@link MemoryNetwork}:
 *
 * <pre>
 *   tunA (10.0.0.1, fd00::1)                               tunB (10.0.0.2, fd00::2)
 *      |                                                      |
 *   device A  [hostA:51820] ---- MemoryNetwork ---- [hostB:51821]  device B
 * </pre>
 *
 * A knows B's endpoint; B learns A's from A's first handshake. Datagrams are counted by sender and
 * message type.
 */
final class DevicePair implements AutoCloseable {

    final MemoryNetwork net = new MemoryNetwork();
    final MemoryTun tunA = new MemoryTun("tunA", 1420);
    final MemoryTun tunB = new MemoryTun("tunB", 1420);
    final Key keyA = Keys.generatePrivate();
    final Key keyB = Keys.generatePrivate();
    final Key pubA = Keys.publicFrom(keyA);
    final Key pubB = Keys.publicFrom(keyB);
    final InetAddress hostA4;
    final InetAddress hostA6;
    final InetAddress hostB4;
    final InetAddress hostB6;
    final InetSocketAddress endpointA;
    final InetSocketAddress endpointB;
    final Device a;
    final Device b;
    /** Datagrams by (sender host, message type), counted as they enter the network. */
    private final ConcurrentHashMap<String, AtomicLong> sent = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, byte[]> last = new ConcurrentHashMap<>();

    /** What a test adds to the network after the counting: delivers everything unless a test says otherwise. */
    private volatile MemoryNetwork.Filter then = (from, to, payload) -> true;

    DevicePair(Clock clock, boolean timerThreads, DeviceOptions options) throws IOException, ConfigException {
        hostA4 = net.newAddressV4();
        hostA6 = net.newAddressV6();
        hostB4 = net.newAddressV4();
        hostB6 = net.newAddressV6();
        endpointA = new InetSocketAddress(hostA4, 51820);
        endpointB = new InetSocketAddress(hostB4, 51821);
        net.setFilter((from, to, payload) -> {
            int type = payload.remaining() >= 4
                    ? Noise.getIntLE(
                            new byte[] {
                                payload.get(payload.position()),
                                payload.get(payload.position() + 1),
                                payload.get(payload.position() + 2),
                                payload.get(payload.position() + 3)
                            },
                            0)
                    : -1;
            String who = from.getAddress().equals(hostA4) || from.getAddress().equals(hostA6) ? "A" : "B";
            sent.computeIfAbsent(who + type, k -> new AtomicLong()).incrementAndGet();
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            last.put(who + type, copy);
            return then.deliver(from, to, payload);
        });
        a = Device.create("wgA", tunA, net.factoryAt(hostA4, hostA6), options, clock, new SecureRandom(), timerThreads);
        b = Device.create("wgB", tunB, net.factoryAt(hostB4, hostB6), options, clock, new SecureRandom(), timerThreads);
        a.configure(tx -> {
            tx.privateKey(keyA);
            tx.listenPort(51820);
            var p = tx.peer(pubB, false);
            p.endpoint(endpointB);
            p.addAllowedIp(Cidr.parse("10.0.0.2/32"));
            p.addAllowedIp(Cidr.parse("fd00::2/128"));
        });
        b.configure(tx -> {
            tx.privateKey(keyB);
            tx.listenPort(51821);
            var p = tx.peer(pubA, false);
            p.addAllowedIp(Cidr.parse("10.0.0.1/32"));
            p.addAllowedIp(Cidr.parse("fd00::1/128"));
        });
    }

    /**
     * Passes every datagram, once counted, to {@code filter} (on the sender's thread, before the
     * receiver can see it), which decides whether it is delivered.
     */
    void thenFilter(MemoryNetwork.Filter filter) {
        then = filter;
    }

    /** Datagrams that {@code who} ("A" or "B") sent of a message type (1 initiation ... 4 transport). */
    long sent(String who, int type) {
        AtomicLong n = sent.get(who + type);
        return n == null ? 0 : n.get();
    }

    /** The last datagram of a message type that {@code who} sent. */
    byte[] lastSent(String who, int type) {
        return last.get(who + type);
    }

    Peer peerOfA() {
        return a.peer(pubB);
    }

    Peer peerOfB() {
        return b.peer(pubA);
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
