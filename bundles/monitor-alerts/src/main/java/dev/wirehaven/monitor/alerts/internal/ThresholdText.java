package dev.wirehaven.monitor.alerts.internal;

import java.util.Map;

/** A threshold in one line, as the log and {@code wirehaven:alerts} show it. */
final class ThresholdText {

    private ThresholdText() {}

    /**
     * {@code rate of interface.drops{interface=wg0} above 1000 (clear 100), 1 sample, medium}: what is
     * checked, against what, how soon and how urgent.
     */
    static String condition(Threshold t) {
        StringBuilder what = new StringBuilder();
        if (t.aggregation() == Threshold.Aggregation.SUM) {
            what.append("sum");
            if (!t.sumBy().isEmpty()) {
                what.append(" per ").append(String.join(",", t.sumBy()));
            }
            what.append(" of ");
        }
        if (t.measure() == Threshold.Measure.RATE) {
            what.append("rate of ");
        }
        what.append(t.metric());
        if (!t.relativeTo().isEmpty()) {
            what.append('/').append(t.relativeTo());
        }
        what.append('{');
        String sep = "";
        for (Map.Entry<String, String> m : t.match().entrySet()) {
            what.append(sep).append(m.getKey()).append('=').append(m.getValue());
            sep = ", ";
        }
        what.append('}');
        return what + " " + t.direction().word() + " " + Quantities.number(t.raise()) + " (clear "
                + Quantities.number(t.clear()) + "), " + t.samples() + (t.samples() == 1 ? " sample, " : " samples, ")
                + t.severity().name().toLowerCase(java.util.Locale.ROOT);
    }
}
