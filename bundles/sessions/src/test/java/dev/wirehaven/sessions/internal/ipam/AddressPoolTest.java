package dev.wirehaven.sessions.internal.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.MutableClock;
import dev.wirehaven.sessions.internal.store.LeaseRepository;
import dev.wirehaven.sessions.internal.store.SessionSchema;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AddressPoolTest {

    private final TestDatabase db = TestDatabase.migrated(SessionSchema.TRACK);
    private final LeaseRepository leases = new LeaseRepository(db.dataSource());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private AddressPool pool(String subnet, String server) throws Exception {
        return new AddressPool(IpPrefix.parse(subnet), InetAddress.getByName(server), leases, clock);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aRequestedAddressIsGrantedOnlyWhenNobodyHasEverLeasedItAndItIsLeasable() throws Exception {
        AddressPool pool = pool("10.8.0.0/24", "10.8.0.1");

        assertEquals(ip("10.8.0.77"), pool.lease("alice", "laptop", "s1", ip("10.8.0.77")));
        assertEquals(ip("10.8.0.2"), pool.lease("bob", "laptop", "s2", ip("10.8.0.77")), "taken: the next free one");
        pool.release(ip("10.8.0.77"));
        assertEquals(
                ip("10.8.0.3"),
                pool.lease("carol", "laptop", "s3", ip("10.8.0.77")),
                "released, but still alice's device's address");
        assertEquals(ip("10.8.0.4"), pool.lease("dave", "laptop", "s4", ip("10.8.0.1")), "the server's own");
        assertEquals(ip("10.8.0.5"), pool.lease("erin", "laptop", "s5", ip("10.8.0.255")), "the broadcast address");
        assertEquals(ip("10.8.0.6"), pool.lease("frank", "laptop", "s6", ip("10.9.0.7")), "outside the pool");
    }

    @Test
    void aDevicesOwnAddressWinsOverItsRequest() throws Exception {
        AddressPool pool = pool("10.8.0.0/24", "10.8.0.1");
        InetAddress own = pool.lease("alice", "laptop", "s1");
        pool.release(own);

        assertEquals(own, pool.lease("alice", "laptop", "s2", ip("10.8.0.50")));
    }

    @Test
    void leasesEveryHostOfAnIpv4SubnetExceptNetworkBroadcastAndServerThenSaysItIsExhausted() throws Exception {
        AddressPool pool = pool("10.8.0.0/29", "10.8.0.1");
        assertEquals(BigInteger.valueOf(5), pool.capacity());
        Set<InetAddress> given = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            given.add(pool.lease("user" + i, "laptop", "s" + i));
        }
        assertEquals(Set.of(ip("10.8.0.2"), ip("10.8.0.3"), ip("10.8.0.4"), ip("10.8.0.5"), ip("10.8.0.6")), given);

        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> pool.lease("late", "phone", "s9"));
        assertTrue(e.getMessage().contains("10.8.0.0/29 is exhausted"), e.getMessage());
        assertTrue(e.getMessage().contains("all 5 addresses"), e.getMessage());
    }

    @Test
    void theSameUserAndDeviceGetTheSameAddressBack() throws Exception {
        AddressPool pool = pool("10.8.0.0/24", "10.8.0.1");
        InetAddress laptop = pool.lease("alice", "laptop", "s1");
        InetAddress phone = pool.lease("alice", "phone", "s2");
        InetAddress bobLaptop = pool.lease("bob", "laptop", "s3");
        assertNotEquals(laptop, phone);
        assertNotEquals(laptop, bobLaptop);

        assertEquals(laptop, pool.lease("alice", "laptop", "s4"), "a second session of the same device");
        assertTrue(pool.release(laptop));
        pool.lease("carol", "tablet", "s5");
        assertEquals(laptop, pool.lease("alice", "laptop", "s6"), "after a release, while nobody needed the address");
    }

    @Test
    void aReleasedAddressGoesToAnotherDeviceOnlyWhenNoUnusedOneIsLeftOldestReleaseFirst() throws Exception {
        AddressPool pool = pool("10.8.0.0/29", "10.8.0.1");
        List<InetAddress> given = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            given.add(pool.lease("user" + i, "laptop", "s" + i));
        }
        assertTrue(pool.release(given.get(3)));
        clock.advance(java.time.Duration.ofSeconds(10));
        assertTrue(pool.release(given.get(1)));
        assertFalse(pool.release(given.get(1)), "already released");

        assertEquals(given.get(3), pool.lease("newcomer", "phone", "s7"), "released longest ago");
        assertEquals(given.get(1), pool.lease("other", "phone", "s8"));
        assertThrows(
                PoolExhaustedException.class,
                () -> pool.lease("user1", "laptop", "s9"),
                "user1's old address went to someone else, and the pool is full");
        assertEquals(5, pool.activeLeases().size());
    }

    @Test
    void concurrentLeasesFromTwoPoolsOverOneDatabaseNeverShareAnAddress() throws Exception {
        // two pools stand for two server instances (or a restart racing the old one) on the same table
        AddressPool a = pool("10.8.0.0/26", "10.8.0.1");
        AddressPool b = pool("10.8.0.0/26", "10.8.0.1");
        int devices = 61; // exactly the capacity of a /26 without network, broadcast and server
        assertEquals(BigInteger.valueOf(devices), a.capacity());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<InetAddress>> results = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                AddressPool pool = i % 2 == 0 ? a : b;
                String user = "user" + i;
                Callable<InetAddress> task = () -> {
                    start.await();
                    return pool.lease(user, "laptop", "s-" + user);
                };
                results.add(threads.submit(task));
            }
            start.countDown();
            Set<InetAddress> distinct = new HashSet<>();
            for (Future<InetAddress> f : results) {
                distinct.add(f.get());
            }
            assertEquals(devices, distinct.size());
            assertEquals(devices, a.activeLeases().size());
            assertThrows(PoolExhaustedException.class, () -> b.lease("one-more", "laptop", "s"));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void leasesIpv6AddressesFromTheBottomOfASlash64() throws Exception {
        AddressPool pool = pool("fd00:8::/64", "fd00:8::1");
        assertEquals(
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(1 + 128 + 1)),
                pool.capacity(),
                "all but the Subnet-Router anycast, the RFC 2526 anycast range and the server");
        assertEquals(ip("fd00:8::2"), pool.lease("alice", "laptop", "s1"));
        assertEquals(ip("fd00:8::3"), pool.lease("bob", "laptop", "s2"));
        assertEquals(ip("fd00:8::2"), pool.lease("alice", "laptop", "s3"));
    }

    @Test
    void neverLeasesTheReservedTopOfASmallIpv6Subnet() throws Exception {
        // a /120 has 256 addresses: 0 is the Subnet-Router anycast, 128..255 are the RFC 2526 range
        AddressPool pool = pool("fd00:9::/120", "fd00:9::1");
        assertEquals(BigInteger.valueOf(126), pool.capacity());
        Set<InetAddress> given = new HashSet<>();
        for (int i = 0; i < 126; i++) {
            InetAddress a = pool.lease("u" + i, "d", "s" + i);
            assertTrue(IpPrefix.parse("fd00:9::/121").contains(a), a.getHostAddress());
            given.add(a);
        }
        assertEquals(126, given.size());
        assertThrows(PoolExhaustedException.class, () -> pool.lease("late", "d", "s"));
    }

    @Test
    void aNewPoolOverTheSameDatabaseKeepsTheLeasesOfTheOldOne() throws Exception {
        AddressPool before = pool("10.8.0.0/24", "10.8.0.1");
        InetAddress alice = before.lease("alice", "laptop", "s1");
        InetAddress bob = before.lease("bob", "laptop", "s2");
        before.release(bob);

        AddressPool after = pool("10.8.0.0/24", "10.8.0.1");
        assertEquals(
                List.of(alice.getHostAddress()),
                after.activeLeases().stream().map(l -> l.address()).toList());
        InetAddress carol = after.lease("carol", "laptop", "s3");
        assertNotEquals(alice, carol);
        assertNotEquals(bob, carol, "bob's released address stays his while unused ones remain");
        assertEquals(alice, after.lease("alice", "laptop", "s4"));
        assertEquals(bob, after.lease("bob", "laptop", "s5"));
    }

    @Test
    void keepsPoolsOfDifferentSubnetsApart() throws Exception {
        AddressPool v4 = pool("10.8.0.0/24", "10.8.0.1");
        AddressPool v6 = pool("fd00:8::/64", "fd00:8::1");
        assertEquals(ip("10.8.0.2"), v4.lease("alice", "laptop", "s1"));
        assertEquals(ip("fd00:8::2"), v6.lease("alice", "laptop", "s1"));
        assertFalse(v4.release(ip("fd00:8::2")));
        assertEquals(1, v6.activeLeases().size());
    }

    @Test
    void refusesAServerAddressOutsideTheSubnetOrOnItsEdges() {
        assertThrows(IllegalArgumentException.class, () -> pool("10.8.0.0/24", "10.9.0.1"));
        assertThrows(IllegalArgumentException.class, () -> pool("10.8.0.0/24", "10.8.0.0"));
        assertThrows(IllegalArgumentException.class, () -> pool("10.8.0.0/24", "10.8.0.255"));
        IllegalArgumentException small =
                assertThrows(IllegalArgumentException.class, () -> pool("10.8.0.0/31", "10.8.0.1"));
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
    }

    private AddressPool poolReserving(String subnet, String server, List<IpPrefix> reserved) throws Exception {
        return new AddressPool(IpPrefix.parse(subnet), InetAddress.getByName(server), leases, clock, () -> reserved);
    }

    @Test
    void neverLeasesNorGrantsOnRequestAnAddressThatAStaticPeerOwns() throws Exception {
        AddressPool pool = poolReserving("10.8.0.0/24", "10.8.0.1", List.of(IpPrefix.parse("10.8.0.2/32")));

        assertEquals(ip("10.8.0.3"), pool.lease("alice", "laptop", "s1", ip("10.8.0.2")), "requested, but static");
        assertEquals(ip("10.8.0.4"), pool.lease("bob", "laptop", "s2"));
    }

    @Test
    void jumpsOverAWholeReservedPrefixAndSaysExhaustedWhenOnlyReservedAddressesAreLeft() throws Exception {
        AddressPool pool = poolReserving("10.8.0.0/29", "10.8.0.1", List.of(IpPrefix.parse("10.8.0.4/30")));

        assertEquals(ip("10.8.0.2"), pool.lease("alice", "laptop", "s1"));
        assertEquals(ip("10.8.0.3"), pool.lease("bob", "laptop", "s2"));
        assertThrows(PoolExhaustedException.class, () -> pool.lease("carol", "laptop", "s3"));
    }

    @Test
    void aLargeReservedPrefixInsideAnIpv6PoolCostsOneStep() throws Exception {
        AddressPool pool = poolReserving("fd00:8::/64", "fd00:8::1", List.of(IpPrefix.parse("fd00:8::/65")));

        assertEquals(ip("fd00:8::8000:0:0:0"), pool.lease("alice", "laptop", "s1"));
    }

    @Test
    void aDeviceWhoseAddressWentToAStaticPeerGetsAnotherOne() throws Exception {
        List<IpPrefix> reserved = new ArrayList<>();
        AddressPool pool = new AddressPool(
                IpPrefix.parse("10.8.0.0/24"), ip("10.8.0.1"), leases, clock, () -> List.copyOf(reserved));
        InetAddress first = pool.lease("alice", "laptop", "s1");
        pool.release(first);
        reserved.add(IpPrefix.host(first));

        InetAddress again = pool.lease("alice", "laptop", "s2");

        assertNotEquals(first, again);
        assertEquals(again, pool.lease("alice", "laptop", "s2"), "and keeps the new one");
    }
}
