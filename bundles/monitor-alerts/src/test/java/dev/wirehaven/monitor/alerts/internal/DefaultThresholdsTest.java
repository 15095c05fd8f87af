package dev.wirehaven.monitor.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The thresholds shipped in src/main/etc are valid and say what the README promises. */
class DefaultThresholdsTest {

    private static final Path ETC = Path.of("src", "main", "etc");

    @Test
    void everyShippedFileIsAValidThresholdNamedAfterItsFile() throws IOException {
        Map<String, Threshold> shipped = load();

        assertEquals(
                java.util.Set.of("cpu", "drops", "handshake-latency", "heap", "node-load", "packet-loss", "sessions"),
                shipped.keySet());
        shipped.forEach((file, t) -> assertEquals(file, t.name(), "name = in the file of " + file));
    }

    @Test
    void theShippedLevelsAreTheAgreedOnes() throws IOException {
        Map<String, Threshold> shipped = load();

        assertEquals(
                "jvm.heap.used/jvm.heap.max{} above 0.9 (clear 0.8), 1 sample, high",
                ThresholdText.condition(shipped.get("heap")));
        assertEquals(
                "process.cpu.load{} above 0.9 (clear 0.7), 3 samples, medium",
                ThresholdText.condition(shipped.get("cpu")));
        assertEquals(
                "rate of interface.drops{} above 1000 (clear 100), 1 sample, medium",
                ThresholdText.condition(shipped.get("drops")));
        assertEquals(
                "handshake.latency{} above 1 (clear 0.5), 1 sample, medium",
                ThresholdText.condition(shipped.get("handshake-latency")));
        assertEquals(
                "sum per interface of sessions{} above 1000 (clear 900), 1 sample, medium",
                ThresholdText.condition(shipped.get("sessions")));
        assertEquals(
                "interface.packet.loss{} above 0.05 (clear 0.01), 2 samples, medium",
                ThresholdText.condition(shipped.get("packet-loss")));
        assertEquals(
                "node.sessions/node.capacity{} above 0.9 (clear 0.8), 1 sample, medium",
                ThresholdText.condition(shipped.get("node-load")));
        assertEquals(Severity.HIGH, shipped.get("heap").severity());
    }

    /** The files by the factory name in their file name, as FileInstall reads it (after the first '-'). */
    private static Map<String, Threshold> load() throws IOException {
        Map<String, Threshold> all = new TreeMap<>();
        String prefix = ThresholdComponent.PID + "-";
        try (Stream<Path> files = Files.list(ETC)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                assertEquals(true, file.startsWith(prefix) && file.endsWith(".cfg"), "unexpected file " + file);
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                all.put(
                        file.substring(prefix.length(), file.length() - 4),
                        TestThresholdConfig.of(p).build());
            }
        }
        return all;
    }
}
