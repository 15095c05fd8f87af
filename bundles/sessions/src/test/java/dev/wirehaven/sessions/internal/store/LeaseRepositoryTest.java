package dev.wirehaven.sessions.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class LeaseRepositoryTest {

    private static final String POOL = "10.8.0.0/24";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private final TestDatabase db;
    private final LeaseRepository leases;

    LeaseRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, SessionSchema.TRACK);
        leases = new LeaseRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private static Lease active(String address, String user, String device) {
        return new Lease(POOL, address, user, device, "s-" + user, T0, null);
    }

    @Test
    void storesAndReadsBackALease() {
        assertTrue(leases.insert(active("10.8.0.2", "alice", "laptop")));
        assertEquals(List.of(active("10.8.0.2", "alice", "laptop")), leases.inPool(POOL));
        assertEquals(
                active("10.8.0.2", "alice", "laptop"),
                leases.heldBy(POOL, "alice", "laptop").orElseThrow());
        assertTrue(leases.heldBy(POOL, "alice", "phone").isEmpty());
        assertTrue(leases.inPool("10.9.0.0/24").isEmpty());
    }

    @Test
    void refusesASecondLeaseOfTheSameAddress() {
        assertTrue(leases.insert(active("10.8.0.2", "alice", "laptop")));
        assertFalse(leases.insert(active("10.8.0.2", "bob", "laptop")));
        assertEquals("alice", leases.inPool(POOL).get(0).user());
    }

    @Test
    void refusesASecondAddressForTheSameDevice() {
        assertTrue(leases.insert(active("10.8.0.2", "alice", "laptop")));
        assertFalse(leases.insert(active("10.8.0.3", "alice", "laptop")));
        assertEquals(1, leases.inPool(POOL).size());
    }

    @Test
    void releaseKeepsTheHolderAndRenewBringsTheLeaseBack() {
        leases.insert(active("10.8.0.2", "alice", "laptop"));
        assertTrue(leases.release(POOL, "10.8.0.2", T1));
        assertFalse(leases.release(POOL, "10.8.0.2", T1), "a released lease cannot be released again");
        Lease released = leases.heldBy(POOL, "alice", "laptop").orElseThrow();
        assertEquals(T1, released.releasedAt());
        assertNull(released.sessionId());

        assertTrue(leases.renew(POOL, "10.8.0.2", "alice", "laptop", "s-2", T1));
        Lease renewed = leases.heldBy(POOL, "alice", "laptop").orElseThrow();
        assertTrue(renewed.active());
        assertEquals("s-2", renewed.sessionId());
        assertFalse(leases.renew(POOL, "10.8.0.2", "bob", "laptop", "s-3", T1), "only the holder renews");
    }

    @Test
    void anotherDeviceTakesOverOnlyAReleasedLease() {
        Lease alice = active("10.8.0.2", "alice", "laptop");
        leases.insert(alice);
        assertFalse(leases.takeOver(alice, "bob", "phone", "s-bob", T1), "an active lease is not taken over");
        leases.release(POOL, "10.8.0.2", T1);
        Lease released = leases.heldBy(POOL, "alice", "laptop").orElseThrow();
        assertTrue(leases.takeOver(released, "bob", "phone", "s-bob", T1));
        assertFalse(leases.takeOver(released, "carol", "tablet", "s-carol", T1), "the first taker wins");
        assertEquals("bob", leases.inPool(POOL).get(0).user());
        assertTrue(leases.heldBy(POOL, "alice", "laptop").isEmpty());
    }
}
