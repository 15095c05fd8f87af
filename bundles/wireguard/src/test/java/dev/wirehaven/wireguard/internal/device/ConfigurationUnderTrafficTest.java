package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Keys and peers change while packets flow both ways: nothing may throw out of a device thread, no
 * peer's state may leak into another's, and once the configuration is consistent again traffic flows.
 */
class ConfigurationUnderTrafficTest {

    @Test
    void peersAndKeysChangeWhileTrafficFlows() throws Exception {
        try (DevicePair pair =
                new DevicePair(Clock.SYSTEM, true, DeviceOptions.defaults().withCryptoWorkers(3))) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong delivered = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(pump(running, failure, pair.tunA, Packets.ipv4("10.0.0.1", "10.0.0.2", 500, 1)));
            threads.add(pump(running, failure, pair.tunB, Packets.ipv6("fd00::2", "fd00::1", 700, 2)));
            threads.add(drain(running, pair.tunA, delivered));
            threads.add(drain(running, pair.tunB, delivered));
            threads.forEach(Thread::start);

            Key pubA = pair.pubA;
            byte[] psk = new byte[32];
            for (int round = 0; round < 40; round++) {
                int r = round;
                // dummy peers come and go on A, some stealing and returning B's prefix
                List<Key> dummies = new ArrayList<>();
                pair.a.configure(tx -> {
                    for (int i = 0; i < 20; i++) {
                        Key k = Keys.publicFrom(Keys.generatePrivate());
                        dummies.add(k);
                        var p = tx.peer(k, false);
                        p.addAllowedIp(Cidr.parse("10.1." + r + "." + i + "/32"));
                        p.endpoint(new java.net.InetSocketAddress(pair.net.newAddressV4(), 1000 + i));
                        if (i == 0) {
                            p.addAllowedIp(Cidr.parse("10.0.0.2/32"));
                        }
                    }
                });
                pair.a.configure(tx -> {
                    for (Key k : dummies) {
                        tx.removePeer(k);
                    }
                    tx.peer(pair.pubB, true).addAllowedIp(Cidr.parse("10.0.0.2/32"));
                });
                switch (round % 4) {
                    case 0 -> { // a new preshared key, set on each side separately
                        psk[0] = (byte) round;
                        Key k = Key.of(psk);
                        Key pa = pubA;
                        pair.a.configure(tx -> tx.peer(pair.pubB, true).presharedKey(k));
                        pair.b.configure(tx -> tx.peer(pa, true).presharedKey(k));
                    }
                    case 1 -> { // B forgets A and learns it again
                        Key pa = pubA;
                        pair.b.configure(tx -> {
                            tx.removePeer(pa);
                            var p = tx.peer(pa, false);
                            p.presharedKey(Key.of(psk));
                            p.addAllowedIp(Cidr.parse("10.0.0.1/32"));
                            p.addAllowedIp(Cidr.parse("fd00::1/128"));
                        });
                    }
                    case 2 -> { // A takes a new private key, B follows
                        Key next = Keys.generatePrivate();
                        Key nextPub = Keys.publicFrom(next);
                        Key oldPub = pubA;
                        pair.a.configure(tx -> tx.privateKey(next));
                        pair.b.configure(tx -> {
                            tx.removePeer(oldPub);
                            var p = tx.peer(nextPub, false);
                            p.presharedKey(Key.of(psk));
                            p.addAllowedIp(Cidr.parse("10.0.0.1/32"));
                            p.addAllowedIp(Cidr.parse("fd00::1/128"));
                        });
                        pubA = nextPub;
                    }
                    default -> pair.b.configure(tx -> tx.listenPort(51821)); // a no-op rebind request
                }
                Thread.sleep(5);
            }
            running.set(false);
            for (Thread t : threads) {
                t.join(5000);
            }
            if (failure.get() != null) {
                throw new AssertionError("a traffic thread failed", failure.get());
            }
            assertTrue(delivered.get() > 0, "traffic flowed during the churn");
            assertEquals(1, pair.a.snapshot().peers().size());
            assertEquals(1, pair.b.snapshot().peers().size());

            // consistent again: both directions work (after a fresh handshake if one is needed)
            drainAll(pair.tunA);
            drainAll(pair.tunB);
            byte[] ab = Packets.ipv4("10.0.0.1", "10.0.0.2", 99, 7);
            assertArrayEquals(ab, sendUntilDelivered(pair.tunA, pair.tunB, ab));
            byte[] ba = Packets.ipv6("fd00::2", "fd00::1", 99, 8);
            assertArrayEquals(ba, sendUntilDelivered(pair.tunB, pair.tunA, ba));
            assertTrue(
                    pair.a.indicesInUse() <= 4 && pair.b.indicesInUse() <= 4,
                    "no index leaked: " + pair.a.indicesInUse() + "/" + pair.b.indicesInUse());
        }
    }

    private static byte[] sendUntilDelivered(MemoryTun from, MemoryTun to, byte[] packet) throws Exception {
        // the first packet may only start a handshake that a peer refuses while its own is pending
        // and packets staged during the churn may still come out first: skip them
        for (int attempt = 0; attempt < 20; attempt++) {
            from.inject(packet);
            byte[] got;
            while ((got = to.poll(1, TimeUnit.SECONDS)) != null) {
                if (java.util.Arrays.equals(got, packet)) {
                    return got;
                }
            }
        }
        return null;
    }

    private static void drainAll(MemoryTun tun) throws InterruptedException {
        while (tun.poll(100, TimeUnit.MILLISECONDS) != null) {
            // discard what the churn left queued
        }
    }

    private static Thread pump(AtomicBoolean running, AtomicReference<Throwable> failure, MemoryTun tun, byte[] p) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (running.get()) {
                            if (!tun.tryInject(p, 0, p.length)) {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "pump-" + tun.name());
        t.setDaemon(true);
        return t;
    }

    private static Thread drain(AtomicBoolean running, MemoryTun tun, AtomicLong delivered) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (running.get()) {
                            if (tun.poll(10, TimeUnit.MILLISECONDS) != null) {
                                delivered.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "drain-" + tun.name());
        t.setDaemon(true);
        return t;
    }
}
