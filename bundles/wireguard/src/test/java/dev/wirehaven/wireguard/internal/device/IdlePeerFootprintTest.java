package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.internal.time.Clock;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * A server holds thousands of idle peers: each configured peer (keys, handshake state, cookie keys,
 * timers, queues, one allowed IP, an endpoint) must stay around 2 KB of heap and cost no thread.
 */
class IdlePeerFootprintTest {

    @Test
    void twoThousandIdlePeersCostAtMostTwoKilobytesEachAndNoThreads() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        try (Device d = Device.create(
                "wgFootprint",
                new MemoryTun("tunS", 1420),
                net.factory(),
                DeviceOptions.defaults(),
                Clock.SYSTEM,
                new SecureRandom(),
                true)) {
            d.configure(tx -> tx.privateKey(Keys.generatePrivate()));
            List<Key> keys = new ArrayList<>();
            List<InetSocketAddress> endpoints = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                keys.add(Keys.publicFrom(Keys.generatePrivate()));
                endpoints.add(new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >>> 8), (byte) i}), 51820));
            }
            int threadsBefore = Thread.activeCount();
            awaitDeviceThreadsWaiting("wgFootprint");
            GraphLayout without = GraphLayout.parseInstance(d);
            d.configure(tx -> {
                for (int i = 0; i < keys.size(); i++) {
                    var p = tx.peer(keys.get(i), false);
                    p.addAllowedIp(Cidr.parse("10." + (i >>> 8) + "." + (i & 255) + ".1/32"));
                    p.endpoint(endpoints.get(i));
                }
            });
            // the objects reachable from the device now that were not before: what the peers added, counted
            // object by object (a set difference, so never negative, and blind to the collector's timing)
            long perPeer = GraphLayout.parseInstance(d).subtract(without).totalSize() / keys.size();
            System.out.println("idle peer footprint: " + perPeer + " bytes (object graph)");
            assertTrue(perPeer > 0 && perPeer <= 2048, "an idle peer holds " + perPeer + " bytes");
            assertTrue(Thread.activeCount() <= threadsBefore, "peers start no threads");
            assertTrue(d.snapshot().peers().size() == 2000);
        }
    }

    /**
     * Waits until every thread of the device waits for input: then each has made what it makes once
     * when it starts (its batch of elements, its buffers), which the device's graph reaches through
     * the threads. Measured before that, a thread that the machine's load kept from starting would
     * count its start-up allocations as the peers' (seen once: 2885 bytes a peer).
     */
    private static void awaitDeviceThreadsWaiting(String device) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            boolean settled = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(device + "-"))
                    .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
            if (settled) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the device's threads did not all come to wait for input within 10 s");
    }
}
