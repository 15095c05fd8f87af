package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelScanDetectorTest {

    private final Fixture f = new Fixture();

    private TunnelScanDetector detector(Map<String, Object> config) {
        return new TunnelScanDetector(f.reporter, TypedConfig.of(TunnelScanDetector.Config.class, config), f.clock);
    }

    private void sample(TunnelScanDetector d, String session, double denied) {
        d.metric(f.counter(
                TunnelScanDetector.METRIC, denied, Map.of("interface", "wg0", "user", "mallory", "session", session)));
    }

    @Test
    void fortyNineNewDestinationsAreNoScanFiftyRevokeTheSession() {
        TunnelScanDetector d = detector(Map.of());
        sample(d, "s1", 3);
        f.clock.advanceSeconds(60);
        sample(d, "s1", 30);
        f.clock.advanceSeconds(60);
        sample(d, "s1", 52);
        assertTrue(f.events.reported.isEmpty());

        f.clock.advanceSeconds(60);
        sample(d, "s1", 53);

        SecurityEvent e = f.events.reported.get(0);
        assertEquals(SecurityEvent.THREAT_TUNNEL_SCAN, e.type());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals("mallory", e.user());
        assertEquals(ResponseAction.REVOKE_SESSION, f.responses.requests.get(0).action());
        assertEquals("s1", f.responses.requests.get(0).target());
    }

    @Test
    void increasesOlderThanFiveMinutesSlideOut() {
        TunnelScanDetector d = detector(Map.of());
        sample(d, "s1", 0);
        sample(d, "s1", 30);
        f.clock.advance(Duration.ofMinutes(5));
        sample(d, "s1", 60);
        assertTrue(f.events.reported.isEmpty());
        f.clock.advance(Duration.ofMinutes(1));
        sample(d, "s1", 80);
        assertEquals(1, f.events.reported.size());
    }

    @Test
    void sessionsAreJudgedApartAndEachOnlyOnceWithinTheWindow() {
        TunnelScanDetector d = detector(Map.of());
        sample(d, "s1", 0);
        sample(d, "s2", 0);
        sample(d, "s1", 40);
        sample(d, "s2", 40);
        assertTrue(f.events.reported.isEmpty());
        sample(d, "s1", 100);
        sample(d, "s1", 500);
        f.clock.advance(Duration.ofMinutes(4));
        sample(d, "s1", 900);
        assertEquals(1, f.events.reported.size());
        f.clock.advance(Duration.ofMinutes(1));
        sample(d, "s1", 950);
        assertEquals(2, f.events.reported.size(), "a new window, the scan goes on");
    }

    @Test
    void aUserResponseWorksOnTheSessionsUser() {
        TunnelScanDetector d = detector(Map.of("response", "DISABLE_USER", "response_duration", "1h"));
        sample(d, "s1", 0);
        sample(d, "s1", 50);
        assertEquals(ResponseAction.DISABLE_USER, f.responses.requests.get(0).action());
        assertEquals("mallory", f.responses.requests.get(0).target());
        assertEquals(Duration.ofHours(1), f.responses.requests.get(0).duration());
    }

    @Test
    void aBlockIsNoResponseToAScanTheSourceIsNotKnownHere() {
        TunnelScanDetector d = detector(Map.of("response", "BLOCK_SOURCE"));
        assertTrue(d.describe().contains("response = 'BLOCK_SOURCE' is refused"), d.describe());
        assertTrue(d.describe().contains("REVOKE_SESSION"), d.describe());
    }
}
