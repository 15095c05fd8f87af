package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One server's responses over an in-memory store, on a clock the test moves: the ledger, the events
 * it reported, the session layer it acts on (present unless the test takes it away) and every list of
 * blocked prefixes it gave the devices.
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    final TestDatabase db = TestDatabase.migrated(ResponseSchema.TRACK);
    final MutableClock clock = new MutableClock(T0);
    final RecordingEvents events = new RecordingEvents();
    final FakeSessions sessions = new FakeSessions();
    final List<List<IpPrefix>> devicePushes = new CopyOnWriteArrayList<>();
    volatile boolean sessionLayerRunning = true;

    /** A ledger with the default rules; a second call is the server started again on the same store. */
    ResponseLedger ledger() {
        return ledger(ResponseSettings.defaults());
    }

    ResponseLedger ledger(ResponseSettings settings) {
        return new ResponseLedger(
                settings,
                new ResponseStore(db.dataSource()),
                new ResponseReports(events),
                new SessionLayer(
                        () -> sessionLayerRunning ? sessions : null, () -> sessionLayerRunning ? sessions : null),
                devicePushes::add,
                clock);
    }

    static ResponseRequest request(ResponseAction action, String target, Duration duration) {
        return new ResponseRequest(action, target, duration, "seen in a test", "detector test");
    }

    static ResponseRequest block(String target, Duration duration) {
        return request(ResponseAction.BLOCK_SOURCE, target, duration);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
