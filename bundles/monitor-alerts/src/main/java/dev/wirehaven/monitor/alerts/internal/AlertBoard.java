package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All thresholds and what they remember, fed one sample at a time. It returns the events to report
 * rather than reporting them, so that the caller reports outside the lock.
 *
 * <p>Synchronized: samples come from the sink's delivery thread, thresholds come and go on the
 * framework's thread, and the shell reads the alerts on its own. State is bounded: only series of a
 * watched metric are remembered, and a series not seen for {@link #SERIES_EXPIRY} is forgotten (a
 * raised alert on it is cleared as gone). The sweep runs as samples arrive, at most every
 * {@link #SWEEP_EVERY}, so that thousands of sessions are not scanned at every sample.
 */
final class AlertBoard {

    /** How long a series may be missing before it is taken for gone (its session ended, its interface removed). */
    static final Duration SERIES_EXPIRY = Duration.ofMinutes(10);

    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    /** A threshold and how many series it checks, for the operator's listing. */
    record Status(Threshold threshold, int series) {}

    private final Clock clock;
    private final SeriesMemory memory = new SeriesMemory();
    private final Map<String, ThresholdWatch> watches = new LinkedHashMap<>();
    private Set<String> watchedMetrics = Set.of();
    private Instant nextSweep = Instant.MIN;

    AlertBoard(Clock clock) {
        this.clock = clock;
    }

    /** Starts checking {@code threshold}; false when another threshold already has its name. */
    synchronized boolean add(Threshold threshold) {
        if (watches.containsKey(threshold.name())) {
            return false;
        }
        watches.put(threshold.name(), new ThresholdWatch(threshold));
        watchedMetrics = metricsOf(watches);
        return true;
    }

    /** Stops checking {@code threshold} (this very one, not another of its name); returns the clears. */
    synchronized List<SecurityEvent> remove(Threshold threshold) {
        List<SecurityEvent> out = new ArrayList<>();
        ThresholdWatch watch = watches.get(threshold.name());
        if (watch != null && watch.threshold() == threshold) {
            watches.remove(threshold.name());
            watch.removed(clock.instant(), out);
            watchedMetrics = metricsOf(watches);
        }
        return out;
    }

    /** Checks one sample; returns the alerts raised and cleared. */
    synchronized List<SecurityEvent> accept(MetricSample sample) {
        Instant now = clock.instant();
        List<SecurityEvent> out = new ArrayList<>();
        for (ThresholdWatch w : watches.values()) {
            w.closeRounds(sample.timestamp(), now, out);
        }
        if (watchedMetrics.contains(sample.name())) {
            SeriesKey raw = SeriesKey.of(sample.name(), sample.tags());
            SeriesMemory.Observation observation = memory.record(raw, sample, now);
            for (ThresholdWatch w : watches.values()) {
                if (w.threshold().metric().equals(sample.name())) {
                    w.onSample(sample, raw, observation, memory, now, out);
                }
            }
        }
        if (!now.isBefore(nextSweep)) {
            Instant cutoff = now.minus(SERIES_EXPIRY);
            memory.forgetUnseenSince(cutoff);
            for (ThresholdWatch w : watches.values()) {
                w.forgetUnseenSince(cutoff, "not seen for " + SERIES_EXPIRY.toMinutes() + " min", now, out);
            }
            nextSweep = now.plus(SWEEP_EVERY);
        }
        return out;
    }

    /**
     * A session ended: its series ({@code session} tag) will not come again, so they are forgotten now
     * and their raised alerts cleared, rather than after {@link #SERIES_EXPIRY}.
     */
    synchronized List<SecurityEvent> sessionEnded(String sessionId) {
        List<SecurityEvent> out = new ArrayList<>();
        memory.forgetSession(sessionId);
        for (ThresholdWatch w : watches.values()) {
            w.forgetSession(sessionId, clock.instant(), out);
        }
        return out;
    }

    /** The thresholds, in the order they came. */
    synchronized List<Status> thresholds() {
        List<Status> all = new ArrayList<>();
        for (ThresholdWatch w : watches.values()) {
            all.add(new Status(w.threshold(), w.series()));
        }
        return all;
    }

    /** The alerts raised now, by threshold. */
    synchronized List<ThresholdWatch.Alert> raised() {
        List<ThresholdWatch.Alert> all = new ArrayList<>();
        for (ThresholdWatch w : watches.values()) {
            all.addAll(w.raised());
        }
        return all;
    }

    /** How many series are remembered, for tests of the bound. */
    synchronized int rememberedSeries() {
        return memory.size();
    }

    private static Set<String> metricsOf(Map<String, ThresholdWatch> watches) {
        Set<String> names = new HashSet<>();
        for (ThresholdWatch w : watches.values()) {
            names.add(w.threshold().metric());
            if (!w.threshold().relativeTo().isEmpty()) {
                names.add(w.threshold().relativeTo());
            }
        }
        return Set.copyOf(names);
    }
}
