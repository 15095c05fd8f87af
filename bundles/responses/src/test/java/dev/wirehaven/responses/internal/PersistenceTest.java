package dev.wirehaven.responses.internal;

import static dev.wirehaven.responses.internal.Fixture.block;
import static dev.wirehaven.responses.internal.Fixture.ip;
import static dev.wirehaven.responses.internal.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponse.State;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PersistenceTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void blocksAndDisabledUsersHoldAfterARestart() {
        ResponseLedger before = f.ledger();
        SecurityResponse block = before.apply(block("192.0.2.0/24", Duration.ofHours(2)));
        f.clock.advance(Duration.ofSeconds(1));
        SecurityResponse disable = before.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(2)));
        f.clock.advance(Duration.ofSeconds(1));
        before.apply(request(ResponseAction.ALERT, "bob", Duration.ofHours(1)));
        f.devicePushes.clear();

        ResponseLedger after = f.ledger();

        assertEquals(List.of(block, disable), after.active());
        assertTrue(after.isBlocked(ip("192.0.2.200")));
        assertTrue(after.isDisabled("alice"));
        assertEquals(List.of(IpPrefix.parse("192.0.2.0/24")), f.devicePushes.get(0), "the devices get them again");
        assertEquals(3, after.recent(10).size(), "the alert is kept for the operator too");
        assertEquals(ResponseAction.ALERT, after.recent(10).get(0).action(), "newest first");
    }

    @Test
    void anExtensionAndAnUndoAreStored() {
        ResponseLedger before = f.ledger();
        SecurityResponse block = before.apply(block("192.0.2.7", Duration.ofHours(1)));
        SecurityResponse extended = before.apply(block("192.0.2.7", Duration.ofHours(3)));
        SecurityResponse disable = before.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(2)));
        before.undo(disable.id(), "an operator (test)");

        ResponseLedger after = f.ledger();

        assertEquals(List.of(extended), after.active());
        assertEquals(block.id(), extended.id());
        assertFalse(after.isDisabled("alice"));
        assertEquals(
                State.UNDONE,
                after.recent(10).stream()
                        .filter(r -> r.id().equals(disable.id()))
                        .findFirst()
                        .orElseThrow()
                        .state());
    }

    @Test
    void whatRanItsTimeWhileTheServerWasDownExpiresAtTheStart() {
        ResponseLedger before = f.ledger();
        SecurityResponse shortBlock = before.apply(block("192.0.2.7", Duration.ofMinutes(5)));
        before.apply(block("192.0.2.8", Duration.ofHours(5)));
        f.events.clear();

        f.clock.advance(Duration.ofHours(1));
        ResponseLedger after = f.ledger();

        assertFalse(after.isBlocked(ip("192.0.2.7")));
        assertTrue(after.isBlocked(ip("192.0.2.8")));
        assertEquals(1, after.active().size());
        SecurityEvent ended = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_ENDED, ended.type());
        assertTrue(ended.detail().contains(shortBlock.id()), ended.detail());
        assertEquals(1, f.ledger().active().size(), "the expiry is stored");
    }

    @Test
    void onlyTheLatestThousandEndedResponsesAreKept() throws SQLException {
        ResponseLedger ledger = f.ledger();
        SecurityResponse lasting = ledger.apply(block("192.0.2.7", Duration.ofDays(7)));
        SecurityResponse oldest = null;
        for (int i = 0; i < ResponseLedger.ENDED_KEPT + 5; i++) {
            f.clock.advance(Duration.ofSeconds(1));
            SecurityResponse r = ledger.apply(request(ResponseAction.ALERT, "alert " + i, Duration.ofHours(1)));
            if (oldest == null) {
                oldest = r;
            }
        }

        ledger.tick();

        assertEquals(ResponseLedger.ENDED_KEPT + 1, rows(), "the thousand latest ended and the one in force");
        assertEquals(ResponseLedger.ENDED_KEPT + 1, ledger.recent(5000).size());
        String oldestId = oldest.id();
        assertTrue(ledger.recent(5000).stream().noneMatch(r -> r.id().equals(oldestId)));
        assertEquals(
                "alert " + (ResponseLedger.ENDED_KEPT + 4),
                ledger.recent(1).get(0).target());
        ResponseLedger restarted = f.ledger();
        assertEquals(List.of(lasting), restarted.active(), "the one in force is never trimmed");
        assertEquals(ResponseLedger.ENDED_KEPT + 1, restarted.recent(5000).size());
    }

    @Test
    void withoutAStoreTheResponsesHoldInMemory() throws SQLException {
        ResponseLedger ledger = f.ledger();
        f.db.close(); // the database is gone

        SecurityResponse r = ledger.apply(block("192.0.2.7", Duration.ofHours(1)));

        assertEquals(State.ACTIVE, r.state());
        assertTrue(ledger.isBlocked(ip("192.0.2.7")));
        assertTrue(ledger.undo(r.id(), "an operator (test)").isPresent());
        assertFalse(ledger.isBlocked(ip("192.0.2.7")));
    }

    private int rows() throws SQLException {
        try (Connection c = f.db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM responses")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
