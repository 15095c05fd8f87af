package dev.wirehaven.monitor.alerts.internal;

import static dev.wirehaven.monitor.alerts.internal.TestThresholdConfig.threshold;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.server.support.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsCommandTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final AlertsSink sink = new AlertsSink(e -> {}, clock);
    private final AlertsCommand command = new AlertsCommand(sink, clock);

    @Test
    void withoutThresholdsItSaysWhereTheyAreConfigured() {
        assertEquals(
                "No thresholds configured (factory configurations dev.wirehaven.monitor.alerts.threshold-<name>.cfg"
                        + " in etc/)\n\nNo alerts raised\n",
                command.alerts());
    }

    @Test
    void itListsTheThresholdsAndTheAlertsRaisedNowWithTheirAge() {
        sink.add(threshold("cpu", "process.cpu.load", 0.9, 0.7).severity("high").build());
        sink.add(threshold("wg0-sessions", "sessions", 1000, 900)
                .tags("interface=wg0")
                .sum("interface")
                .build());
        sink.metric(MetricSample.gauge("process.cpu.load", 0.95, "1", Map.of(), clock.instant()));
        clock.advance(Duration.ofSeconds(150));

        assertEquals(
                String.join(
                        "\n",
                        "THRESHOLD            SERIES  CONDITION",
                        "cpu                       1  process.cpu.load{} above 0.9 (clear 0.7), 1 sample, high",
                        "wg0-sessions              0  sum per interface of sessions{interface=wg0} above 1000"
                                + " (clear 900), 1 sample, medium",
                        "",
                        "RAISED               FOR          LAST VALUE             SERIES",
                        "cpu                  2m30s        0.95                   process.cpu.load{}",
                        ""),
                command.alerts());
    }
}
