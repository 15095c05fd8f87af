package dev.wirehaven.sessions.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class PeerRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    private final TestDatabase db;
    private final PeerRepository peers;

    PeerRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, SessionSchema.TRACK);
        peers = new PeerRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aPeerIsStoredWithItsPresharedKeyAndAllowedIps() {
        PeerRecord peer =
                new PeerRecord(KEY, "s1", PSK, List.of("10.8.0.2/32", "fd00:8::2/128", "192.168.10.0/24"), 0, T0);

        peers.put(peer);

        assertEquals(peer, peers.ofSession("s1").orElseThrow());
        assertEquals(List.of(peer), peers.all());
    }

    @Test
    void aNewSessionOfTheSameKeyTakesTheRowOver() {
        peers.put(new PeerRecord(KEY, "s1", PSK, List.of("10.8.0.2/32"), 0, T0));
        peers.put(new PeerRecord(KEY, "s2", PSK, List.of("10.8.0.3/32"), 0, T0.plusSeconds(1)));

        assertTrue(peers.ofSession("s1").isEmpty());
        assertEquals("s2", peers.all().get(0).sessionId());
        assertFalse(peers.removeOfSession("s1"), "the old session no longer owns the key");
        assertTrue(peers.removeOfSession("s2"));
        assertTrue(peers.all().isEmpty());
    }
}
