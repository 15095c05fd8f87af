package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each detector's configuration PID can be written as an etc/ file: FileInstall would read a hyphen in
 * the file name as a factory configuration, and the detector would never see its settings.
 */
class DetectorPidTest {

    @Test
    void everyPidIsTheNameWithDotsAndHasNoHyphen() {
        Map<String, String> pids = Map.of(
                PasswordGuessingDetector.NAME, PasswordGuessingDetector.PID,
                HandshakeFloodDetector.NAME, HandshakeFloodDetector.PID,
                TunnelScanDetector.NAME, TunnelScanDetector.PID,
                TrafficAnomalyDetector.NAME, TrafficAnomalyDetector.PID,
                ConcurrentLocationsDetector.NAME, ConcurrentLocationsDetector.PID);
        pids.forEach((name, pid) -> {
            assertEquals("dev.wirehaven.threats." + name.replace('-', '.'), pid, name);
            assertFalse(pid.contains("-"), pid);
        });
    }
}
