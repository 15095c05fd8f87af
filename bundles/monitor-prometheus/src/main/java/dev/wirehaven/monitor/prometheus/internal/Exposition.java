package dev.wirehaven.monitor.prometheus.internal;

import dev.wirehaven.api.monitor.MetricSample;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape: the store's live series grouped by name, the exporter's own counters, and the JVM's
 * heap, CPU time and threads, written in the Prometheus text format (0.0.4) by the Prometheus Java
 * client's writer, which owns the escaping of names, labels and help text.
 */
final class Exposition {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** The metrics {@link #self()} writes; pushed samples of these names are refused by the store. */
    static final java.util.Set<String> OWN_NAMES = java.util.Set.of(
            "wirehaven_prometheus_refused_samples",
            "wirehaven_jvm_heap_bytes",
            "wirehaven_jvm_threads",
            "wirehaven_process_cpu_seconds");

    private final SeriesStore store;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Exposition(SeriesStore store) {
        this.store = store;
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, snapshots());
    }

    MetricSnapshots snapshots() {
        Map<String, List<Series>> byName = new TreeMap<>();
        for (Series s : store.live()) {
            byName.computeIfAbsent(s.name().name(), n -> new ArrayList<>()).add(s);
        }
        List<MetricSnapshot> all = new ArrayList<>();
        for (List<Series> group : byName.values()) {
            all.add(snapshot(group));
        }
        all.addAll(self());
        return new MetricSnapshots(all);
    }

    private static MetricSnapshot snapshot(List<Series> group) {
        SeriesName name = group.get(0).name();
        String help = "Wirehaven's "
                + name.name().substring(SeriesName.PREFIX.length()).replace('_', ' ');
        if (group.get(0).kind() == MetricSample.Kind.HISTOGRAM) {
            return histogram(name, help, group);
        }
        if (group.get(0).kind() == MetricSample.Kind.COUNTER) {
            CounterSnapshot.Builder b =
                    CounterSnapshot.builder().name(name.name()).help(help);
            if (name.unit() != null) {
                b.unit(name.unit());
            }
            for (Series s : group) {
                b.dataPoint(CounterDataPointSnapshot.builder()
                        .value(s.value())
                        .labels(labels(s))
                        .build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name.name()).help(help);
        if (name.unit() != null) {
            b.unit(name.unit());
        }
        for (Series s : group) {
            b.dataPoint(GaugeDataPointSnapshot.builder()
                    .value(s.value())
                    .labels(labels(s))
                    .build());
        }
        return b.build();
    }

    /**
     * A classic Prometheus histogram: the writer takes each bucket's own count and writes the
     * cumulative {@code _bucket{le=...}} lines, {@code _count} and {@code _sum} itself.
     */
    private static MetricSnapshot histogram(SeriesName name, String help, List<Series> group) {
        HistogramSnapshot.Builder b =
                HistogramSnapshot.builder().name(name.name()).help(help);
        if (name.unit() != null) {
            b.unit(name.unit());
        }
        for (Series s : group) {
            MetricSample.Buckets buckets = s.buckets();
            long[] own = new long[buckets.cumulativeCounts().size()];
            long below = 0;
            for (int i = 0; i < own.length; i++) {
                own[i] = buckets.cumulativeCounts().get(i) - below;
                below = buckets.cumulativeCounts().get(i);
            }
            b.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(
                            buckets.upperBounds().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                            own))
                    .sum(buckets.sum())
                    .labels(labels(s))
                    .build());
        }
        return b.build();
    }

    private static Labels labels(Series s) {
        return Labels.of(
                new ArrayList<>(s.labels().keySet()), new ArrayList<>(s.labels().values()));
    }

    /** What the exporter and its JVM say about themselves; measured at scrape time, not pushed. */
    private List<MetricSnapshot> self() {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(CounterSnapshot.builder()
                .name("wirehaven_prometheus_refused_samples")
                .help(
                        "Samples this exporter did not keep, by reason (series limit reached; a name sent as both counter and gauge; a name the exporter measures itself)")
                .dataPoint(CounterDataPointSnapshot.builder()
                        .value(store.refusedBecauseFull())
                        .labels(Labels.of("reason", "series-limit"))
                        .build())
                .dataPoint(CounterDataPointSnapshot.builder()
                        .value(store.refusedBecauseOfKind())
                        .labels(Labels.of("reason", "kind-conflict"))
                        .build())
                .dataPoint(CounterDataPointSnapshot.builder()
                        .value(store.refusedBecauseOwnName())
                        .labels(Labels.of("reason", "own-name"))
                        .build())
                .build());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder()
                .name("wirehaven_jvm_heap_bytes")
                .help("The server JVM's heap: used, committed and max")
                .unit(Unit.BYTES)
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value(heap.getUsed())
                        .labels(Labels.of("area", "used"))
                        .build())
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value(heap.getCommitted())
                        .labels(Labels.of("area", "committed"))
                        .build());
        if (heap.getMax() >= 0) {
            memory.dataPoint(GaugeDataPointSnapshot.builder()
                    .value(heap.getMax())
                    .labels(Labels.of("area", "max"))
                    .build());
        }
        out.add(memory.build());
        out.add(GaugeSnapshot.builder()
                .name("wirehaven_jvm_threads")
                .help("Live threads of the server JVM")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value(ManagementFactory.getThreadMXBean().getThreadCount())
                        .build())
                .build());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            out.add(CounterSnapshot.builder()
                    .name("wirehaven_process_cpu_seconds")
                    .help("CPU time (user and system) the server process has used")
                    .unit(Unit.SECONDS)
                    .dataPoint(CounterDataPointSnapshot.builder()
                            .value(os.getProcessCpuTime() / 1e9)
                            .build())
                    .build());
        }
        return out;
    }
}
