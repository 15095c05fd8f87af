package dev.wirehaven.monitor.prometheus.internal;

import dev.wirehaven.api.monitor.MetricSample;
import java.util.SortedMap;

/**
 * The latest value of one time series: one metric name with one set of labels.
 *
 * @param name the Prometheus name and unit
 * @param kind counter, gauge or histogram, as the first sample of the name said
 * @param labels label names (sanitized) and values, sorted
 * @param value the latest value, in the unit of {@code name}
 * @param updatedMillis when the latest sample was taken (the sample's own timestamp)
 * @param buckets a histogram's distribution, bounds and sum in the unit of {@code name}; null for the
 *     other kinds
 */
record Series(
        SeriesName name,
        MetricSample.Kind kind,
        SortedMap<String, String> labels,
        double value,
        long updatedMillis,
        MetricSample.Buckets buckets) {}
