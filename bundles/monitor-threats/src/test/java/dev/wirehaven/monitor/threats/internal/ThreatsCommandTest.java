package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreatsCommandTest {

    private final Fixture f = new Fixture();

    @Test
    void listsTheDetectorsTheirSettingsARefusalAndTheLastFindings() {
        PasswordGuessingDetector guessing = new PasswordGuessingDetector(
                f.reporter,
                TypedConfig.of(PasswordGuessingDetector.Config.class, Map.of("source_threshold", 2L)),
                f.clock);
        TunnelScanDetector scan = new TunnelScanDetector(
                f.reporter, TypedConfig.of(TunnelScanDetector.Config.class, Map.of("window", "-5m")), f.clock);
        guessing.securityEvent(f.authFailure("alice", "192.0.2.7"));
        guessing.securityEvent(f.authFailure("alice", "192.0.2.7"));

        String out = new ThreatsCommand(f.reporter, List.of(scan, guessing)).threats();

        assertTrue(
                out.indexOf("password-guessing (dev.wirehaven.threats.password.guessing): enabled")
                        < out.indexOf("tunnel-scan (dev.wirehaven.threats.tunnel.scan): enabled"),
                out);
        assertTrue(out.contains("per source >= 2 within PT5M -> HIGH, BLOCK_SOURCE for PT15M"), out);
        assertTrue(
                out.contains("REFUSED: Configuration dev.wirehaven.threats.tunnel.scan: window = '-5m' is refused"),
                out);
        assertTrue(out.contains("Last findings (1, newest first, at most 50):"), out);
        assertTrue(out.contains("2 failed logins from 192.0.2.7"), out);
        assertTrue(out.contains("-> BLOCK_SOURCE 192.0.2.7: ACTIVE"), out);
    }

    @Test
    void saysWhenNoResponseCanBeCarriedOut() {
        FindingReporter reporter = new FindingReporter(f.events, null);
        String out = new ThreatsCommand(reporter, List.of()).threats();
        assertTrue(out.contains("install the server's responses bundle"), out);
    }
}
