package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreatsSinkTest {

    private final Fixture f = new Fixture();

    private static final class Throwing implements Detector {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void metric(MetricSample sample) {
            throw new IllegalStateException("bug");
        }

        @Override
        public void securityEvent(SecurityEvent event) {
            throw new IllegalStateException("bug");
        }

        @Override
        public String describe() {
            return "broken";
        }
    }

    @Test
    void aDetectorThatThrowsNeitherReachesTheSinkThreadNorStopsTheOthers() {
        PasswordGuessingDetector guessing = new PasswordGuessingDetector(
                f.reporter,
                TypedConfig.of(PasswordGuessingDetector.Config.class, Map.of("source_threshold", 2L)),
                f.clock);
        HandshakeFloodDetector flood = new HandshakeFloodDetector(
                f.reporter, TypedConfig.of(HandshakeFloodDetector.Config.class, Map.of("threshold", 5L)), f.clock);
        ThreatsSink sink = new ThreatsSink(List.of(new Throwing(), guessing, flood));

        sink.securityEvent(f.authFailure("alice", "192.0.2.7"));
        sink.securityEvent(f.authFailure("alice", "192.0.2.7"));
        sink.metric(f.counter(HandshakeFloodDetector.METRIC, 0, Map.of("source", "192.0.2.8")));
        sink.metric(f.counter(HandshakeFloodDetector.METRIC, 5, Map.of("source", "192.0.2.8")));

        assertEquals("threats", sink.name());
        assertEquals(
                List.of(SecurityEvent.THREAT_PASSWORD_GUESSING, SecurityEvent.THREAT_HANDSHAKE_FLOOD),
                f.events.reported.stream().map(SecurityEvent::type).toList());
    }
}
