package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.internal.time.Clock;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server holds thousands of idle peers: each configured peer (keys, handshake state, cookie keys,
 * timers, queues, one allowed IP, an endpoint) must stay around 2 KB of heap and cost no thread.
 */
class IdlePeerFootprintTest {

    @Test
    void aThousandIdlePeersCostAboutTwoKilobytesEachAndNoThreads() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        try (Device d = Device.create(
                "wgS",
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
            long before = usedHeap();
            d.configure(tx -> {
                for (int i = 0; i < keys.size(); i++) {
                    var p = tx.peer(keys.get(i), false);
                    p.addAllowedIp(Cidr.parse("10." + (i >>> 8) + "." + (i & 255) + ".1/32"));
                    p.endpoint(endpoints.get(i));
                }
            });
            long after = usedHeap();
            long perPeer = (after - before) / keys.size();
            System.out.println("idle peer footprint: " + perPeer + " bytes");
            assertTrue(perPeer < 2600, "idle peer costs " + perPeer + " bytes");
            assertTrue(Thread.activeCount() <= threadsBefore, "peers start no threads");
            assertTrue(d.snapshot().peers().size() == 2000);
        }
    }

    private static long usedHeap() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(
                    best,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
