package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.session.UserUsage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-user accounting comes from the server's own device counters: a session's usage outlives it in
 * the store, per-user totals add open and ended sessions, and the sinks hear of each ended session.
 */
class AccountingTest {

    private final FlowFixture fx;

    AccountingTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void anEndedSessionsDeviceCountersAreKeptAndAddedToTheOpenOnesOfTheSameUser() throws Exception {
        FlowFixture.Client first = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(first);
        fx.clock.advance(Duration.ofMinutes(10));
        long received = fx.peer(first.publicKey()).orElseThrow().rxBytes();
        assertTrue(received > 0, "the handshake counts as received bytes");
        fx.flow().disconnect(first.sessionId(), first.token());
        FlowFixture.Client second = fx.configured("alice", "correct horse", "phone");
        fx.configured("bob", "battery staple", "laptop");

        List<UserUsage> usage = fx.runtime.directory().usage();

        UserUsage alice =
                usage.stream().filter(u -> u.user().equals("alice")).findFirst().orElseThrow();
        assertEquals(2, alice.sessions());
        assertEquals(1, alice.open());
        assertEquals(received, alice.bytesReceived(), "the ended session's bytes, the open one has none yet");
        assertTrue(
                alice.connected().compareTo(Duration.ofMinutes(10)) >= 0
                        && alice.connected().compareTo(Duration.ofMinutes(11)) < 0,
                "the ended session's ten minutes, as the server's clock ran: " + alice.connected());
        assertEquals(
                List.of("alice", "bob"), usage.stream().map(UserUsage::user).toList());
        MetricSample bytes = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("session.bytes.received")
                        && first.sessionId().equals(m.tags().get("session")));
        assertEquals((double) received, bytes.value());
        assertEquals("alice", bytes.tags().get("user"));
        fx.flow().disconnect(second.sessionId(), second.token());
    }
}
