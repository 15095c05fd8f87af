package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own measurements reach the sinks: what the device counted for each session's peer (not
 * what a client reports), the open sessions by phase and the drops by reason, with the kind each is.
 */
class DeviceMetricsTest {

    private final FlowFixture fx;

    DeviceMetricsTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aSessionsPeerCountersComeFromTheDeviceAsCountersTaggedWithItsUserAndSession() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(alice);
        long received = fx.peer(alice.publicKey()).orElseThrow().rxBytes();
        assertTrue(received > 0, "the handshake counts as received bytes");

        fx.runtime.sampleMetricsNow();

        MetricSample bytes = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("peer.bytes.received")
                        && alice.sessionId().equals(m.tags().get("session")));
        assertEquals((double) received, bytes.value());
        assertEquals(MetricSample.Kind.COUNTER, bytes.kind());
        assertEquals("alice", bytes.tags().get("user"));
        MetricSample age = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("peer.handshake.age")
                        && alice.sessionId().equals(m.tags().get("session")));
        assertEquals(MetricSample.Kind.GAUGE, age.kind());
        assertTrue(age.value() >= 0, "a handshake age is never negative: " + age);
    }

    @Test
    void openSessionsAreCountedByPhaseWithEmptyPhasesAtZero() throws Exception {
        fx.configured("alice", "correct horse", "laptop");
        fx.configured("bob", "battery staple", "laptop");

        fx.runtime.sampleMetricsNow();

        MetricSample configured = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("sessions") && "configured".equals(m.tags().get("phase")));
        assertEquals(2, configured.value());
        MetricSample challenged = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("sessions") && "challenged".equals(m.tags().get("phase")));
        assertEquals(0, challenged.value());
        assertEquals(MetricSample.Kind.GAUGE, configured.kind());
    }
}
