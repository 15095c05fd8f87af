package dev.wirehaven.monitor.prometheus.internal;

import dev.wirehaven.api.monitor.MetricSample;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest sample of every series, which is what a Prometheus scrape asks for: the server pushes
 * samples to its sinks, Prometheus pulls. Bounded, because sessions come and go with their own
 * labels: a series that has not been sampled for {@code staleAfter} is dropped (its session has
 * ended, and its last value was already scraped), and beyond {@code maxSeries} new series are refused
 * and counted rather than letting a flood of sessions grow the heap.
 *
 * <p>A name keeps the kind of its first sample: Prometheus cannot have one name as a counter and as
 * a gauge, so a sample of the other kind is refused and counted (a bug of whoever sent it). The
 * names the exporter measures itself at scrape time ({@link Exposition#OWN_NAMES}) are refused and
 * counted too: the server also publishes its heap and threads, and one name written twice would
 * make the whole scrape fail.
 */
final class SeriesStore {

    private record Key(String name, SortedMap<String, String> labels) {}

    private final Clock clock;
    private final Duration staleAfter;
    private final int maxSeries;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private final Map<String, MetricSample.Kind> kinds = new ConcurrentHashMap<>();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicLong refusedKind = new AtomicLong();
    private final AtomicLong refusedOwnName = new AtomicLong();

    SeriesStore(Clock clock, Duration staleAfter, int maxSeries) {
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.maxSeries = maxSeries;
    }

    void record(MetricSample sample) {
        SeriesName name = SeriesName.of(sample);
        if (Exposition.OWN_NAMES.contains(name.name())) {
            refusedOwnName.incrementAndGet();
            return;
        }
        MetricSample.Kind kind = kinds.computeIfAbsent(name.name(), n -> sample.kind());
        if (kind != sample.kind()) {
            refusedKind.incrementAndGet();
            return;
        }
        SortedMap<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, String> tag : sample.tags().entrySet()) {
            labels.put(PrometheusNaming.sanitizeLabelName(tag.getKey()), tag.getValue());
        }
        Key key = new Key(name.name(), Collections.unmodifiableSortedMap(labels));
        if (!series.containsKey(key) && series.size() >= maxSeries) {
            refusedFull.incrementAndGet();
            return;
        }
        Series next = new Series(
                name,
                kind,
                key.labels(),
                sample.value() * (kind == MetricSample.Kind.HISTOGRAM ? 1 : name.scale()),
                sample.timestamp().toEpochMilli(),
                scaled(sample.buckets(), name.scale()));
        // samples may arrive out of order from different threads of the server: keep the newest
        series.merge(key, next, (old, now) -> now.updatedMillis() >= old.updatedMillis() ? now : old);
    }

    /** A histogram's bounds and sum in the base unit; its counts are counts whatever the unit. */
    private static MetricSample.Buckets scaled(MetricSample.Buckets b, double scale) {
        if (b == null || scale == 1) {
            return b;
        }
        return new MetricSample.Buckets(
                b.upperBounds().stream().map(bound -> bound * scale).toList(), b.cumulativeCounts(), b.sum() * scale);
    }

    /** The live series, after dropping those not sampled within {@code staleAfter}. */
    List<Series> live() {
        long oldest = clock.millis() - staleAfter.toMillis();
        series.values().removeIf(s -> s.updatedMillis() < oldest);
        return new ArrayList<>(series.values());
    }

    long refusedBecauseFull() {
        return refusedFull.get();
    }

    long refusedBecauseOfKind() {
        return refusedKind.get();
    }

    long refusedBecauseOwnName() {
        return refusedOwnName.get();
    }
}
