package dev.wirehaven.monitor.alerts.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What {@code wirehaven:alerts} prints: one line per threshold, then one per raised alert. */
final class AlertTable {

    private AlertTable() {}

    static String render(List<AlertBoard.Status> thresholds, List<ThresholdWatch.Alert> raised, Instant now) {
        StringBuilder out = new StringBuilder();
        if (thresholds.isEmpty()) {
            out.append("No thresholds configured (factory configurations ")
                    .append(ThresholdComponent.PID)
                    .append("-<name>.cfg in etc/)\n");
        } else {
            out.append(String.format("%-20s %6s  %s%n", "THRESHOLD", "SERIES", "CONDITION"));
            for (AlertBoard.Status s : thresholds) {
                out.append(String.format(
                        "%-20s %6d  %s%n", s.threshold().name(), s.series(), ThresholdText.condition(s.threshold())));
            }
        }
        out.append('\n');
        if (raised.isEmpty()) {
            out.append("No alerts raised\n");
            return out.toString();
        }
        List<ThresholdWatch.Alert> sorted = new ArrayList<>(raised);
        sorted.sort(Comparator.comparing(ThresholdWatch.Alert::threshold).thenComparing(ThresholdWatch.Alert::series));
        out.append(String.format("%-20s %-12s %-22s %s%n", "RAISED", "FOR", "LAST VALUE", "SERIES"));
        for (ThresholdWatch.Alert a : sorted) {
            out.append(String.format(
                    "%-20s %-12s %-22s %s%n",
                    a.threshold(),
                    age(Duration.between(a.since(), now)),
                    Quantities.format(a.value(), a.unit()),
                    a.series()));
        }
        return out.toString();
    }

    /** {@code 45s}, {@code 12m30s}, {@code 3h5m}: how long an alert has been raised. */
    static String age(Duration d) {
        long s = Math.max(0, d.truncatedTo(ChronoUnit.SECONDS).getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
}
