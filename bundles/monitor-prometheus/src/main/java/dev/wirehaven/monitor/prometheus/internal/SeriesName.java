package dev.wirehaven.monitor.prometheus.internal;

import dev.wirehaven.api.monitor.MetricSample;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/**
 * How one of our sample names becomes a Prometheus metric name, following Prometheus's naming
 * conventions: a {@code wirehaven_} prefix, underscores for dots, base units (seconds, bytes) with
 * their unit as the suffix, and a value scaled to the base unit ({@code ms} becomes seconds). The
 * {@code _total} of a counter is added by the text writer, so a name here never ends with it.
 *
 * @param name the Prometheus name, without {@code _total}
 * @param unit the Prometheus unit, or null for a plain count
 * @param scale what a sample's value is multiplied by to be in {@code unit}
 */
record SeriesName(String name, Unit unit, double scale) {

    static final String PREFIX = "wirehaven_";

    static SeriesName of(MetricSample sample) {
        String unitText = sample.unit().trim().toLowerCase(Locale.ROOT);
        Unit unit;
        double scale = 1;
        switch (unitText) {
            case "by", "byte", "bytes" -> unit = Unit.BYTES;
            case "s", "sec", "second", "seconds" -> unit = Unit.SECONDS;
            case "ms", "millisecond", "milliseconds" -> {
                unit = Unit.SECONDS;
                scale = 0.001;
            }
            default -> unit = null; // packets, 1, a ratio: a plain number
        }
        String dotted = sample.name().startsWith("wirehaven.") ? sample.name() : "wirehaven." + sample.name();
        String name =
                PrometheusNaming.sanitizeMetricName(dotted.replace('.', '_').replace('-', '_'));
        if (name.endsWith("_total")) {
            name = name.substring(0, name.length() - "_total".length());
        }
        if (unit != null && !name.endsWith("_" + unit)) {
            // the unit goes last, once: session.bytes.received in bytes is wirehaven_session_received_bytes
            name = String.join(
                            "_",
                            java.util.Arrays.stream(name.split("_"))
                                    .filter(part -> !part.equals(unit.toString()))
                                    .toList())
                    + "_" + unit;
        }
        return new SeriesName(name, unit, scale);
    }
}
