package dev.wirehaven.monitor.alerts.internal;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One time series: a metric name and the tag values that tell it apart from the others of that name
 * ({@code peer.bytes.sent{interface=wg0, session=…, user=alice}}).
 */
record SeriesKey(String metric, SortedMap<String, String> tags) {

    SeriesKey {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    static SeriesKey of(String metric, Map<String, String> tags) {
        return new SeriesKey(metric, new TreeMap<>(tags));
    }

    /** The user the series is about, from its {@code user} tag, or empty. */
    String user() {
        return tags.getOrDefault("user", "");
    }

    /** {@code name{tag=value, …}}, the form Prometheus and the alerts use. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(metric).append('{');
        String sep = "";
        for (Map.Entry<String, String> t : tags.entrySet()) {
            out.append(sep).append(t.getKey()).append('=').append(t.getValue());
            sep = ", ";
        }
        return out.append('}').toString();
    }
}
