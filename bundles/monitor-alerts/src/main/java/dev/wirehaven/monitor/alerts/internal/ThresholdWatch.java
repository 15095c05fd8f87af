package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * One threshold at work: turns the samples of its metric into checked values (the value, the rate,
 * the share of another metric, a sum) and keeps an {@link AlertState} per checked series.
 *
 * <p>A sum is checked once per round of samples, not at every member: the server samples all series
 * of a metric at once, every few seconds, and a sum taken while half of them are new would mix two
 * rounds. A round is the samples within {@link #ROUND} of its first one; it is checked when a sample
 * (of any metric) arrives later than that, which is the next burst of samples. A member whose value is
 * unknown this round (its first counter sample, a restart) is left out of the sum; a series that was not
 * sampled this round (its session ended) is not in it.
 */
final class ThresholdWatch {

    /** How far apart the samples of one round may be; the server's bursts take milliseconds, ~10 s apart. */
    static final Duration ROUND = Duration.ofSeconds(1);

    /** A raised alert, for the operator's listing. */
    record Alert(String threshold, String series, double value, String unit, Instant since) {}

    /** The members of one sum in the round being collected. */
    private static final class Round {
        final Instant start;
        final Map<SeriesKey, Double> members = new HashMap<>();
        String unit = "";

        Round(Instant start) {
            this.start = start;
        }
    }

    private final Threshold threshold;
    private final Map<SeriesKey, AlertState> states = new HashMap<>();
    private final Map<SeriesKey, Round> rounds = new HashMap<>();

    ThresholdWatch(Threshold threshold) {
        this.threshold = threshold;
    }

    Threshold threshold() {
        return threshold;
    }

    /** A sample of this threshold's metric, already in {@code memory}; changes go to {@code out}. */
    void onSample(
            MetricSample sample,
            SeriesKey raw,
            SeriesMemory.Observation observation,
            SeriesMemory memory,
            Instant now,
            List<SecurityEvent> out) {
        if (!threshold.matches(sample.tags())) {
            return;
        }
        boolean rate = threshold.measure() == Threshold.Measure.RATE;
        double measured = rate ? observation.rate() : observation.value();
        String unit = rate ? sample.unit() + "/s" : sample.unit();
        if (!threshold.relativeTo().isEmpty()) {
            SeriesMemory.Observation whole = memory.latest(SeriesKey.of(threshold.relativeTo(), sample.tags()));
            // without the other metric (not sampled yet) or with a zero there is no share to check
            measured = whole == null || whole.value() == 0 ? Double.NaN : measured / whole.value();
            unit = "";
        }
        SeriesKey checked = SeriesKey.of(threshold.metric(), threshold.checkedTags(sample.tags()));
        if (threshold.aggregation() == Threshold.Aggregation.EACH) {
            AlertState state = states.computeIfAbsent(checked, k -> new AlertState(now));
            if (Double.isNaN(measured)) {
                state.seen(now);
            } else {
                check(checked, state, measured, unit, now, out);
            }
            return;
        }
        Round round = rounds.get(checked);
        if (round != null && sample.timestamp().isAfter(round.start.plus(ROUND))) {
            rounds.remove(checked);
            close(checked, round, now, out);
            round = null;
        }
        if (round == null) {
            round = new Round(sample.timestamp());
            rounds.put(checked, round);
        }
        round.members.put(raw, measured);
        round.unit = unit;
    }

    /** Checks the sums whose round began more than {@link #ROUND} before {@code sampleTime}: they are complete. */
    void closeRounds(Instant sampleTime, Instant now, List<SecurityEvent> out) {
        for (Iterator<Map.Entry<SeriesKey, Round>> it = rounds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SeriesKey, Round> e = it.next();
            if (sampleTime.isAfter(e.getValue().start.plus(ROUND))) {
                it.remove();
                close(e.getKey(), e.getValue(), now, out);
            }
        }
    }

    /** Forgets the checked series not seen since {@code cutoff}; a raised one is cleared as gone. */
    void forgetUnseenSince(Instant cutoff, String why, Instant now, List<SecurityEvent> out) {
        rounds.values().removeIf(r -> r.start.isBefore(cutoff));
        forget((key, state) -> state.seen().isBefore(cutoff), why, now, out);
    }

    /** Forgets the checked series of a session that ended; a raised one is cleared as gone. */
    void forgetSession(String sessionId, Instant now, List<SecurityEvent> out) {
        forget((key, state) -> sessionId.equals(key.tags().get("session")), "its session ended", now, out);
    }

    private void forget(BiPredicate<SeriesKey, AlertState> gone, String why, Instant now, List<SecurityEvent> out) {
        for (Iterator<Map.Entry<SeriesKey, AlertState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SeriesKey, AlertState> e = it.next();
            if (gone.test(e.getKey(), e.getValue())) {
                it.remove();
                if (e.getValue().raised()) {
                    out.add(AlertReport.wentAway(
                            threshold, describe(e.getKey()), e.getKey().user(), why, now));
                }
            }
        }
    }

    /** The threshold is gone: its raised alerts are cleared, so that no alert stays open for ever. */
    void removed(Instant now, List<SecurityEvent> out) {
        for (Map.Entry<SeriesKey, AlertState> e : states.entrySet()) {
            if (e.getValue().raised()) {
                out.add(AlertReport.thresholdRemoved(
                        threshold, describe(e.getKey()), e.getKey().user(), now));
            }
        }
        states.clear();
        rounds.clear();
    }

    /** The alerts raised now. */
    List<Alert> raised() {
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<SeriesKey, AlertState> e : states.entrySet()) {
            AlertState s = e.getValue();
            if (s.raised()) {
                alerts.add(new Alert(threshold.name(), describe(e.getKey()), s.value(), s.unit(), s.raisedAt()));
            }
        }
        return alerts;
    }

    /** How many series are checked now. */
    int series() {
        return states.size();
    }

    /** What is checked, as the alerts name it: {@code sum of sessions{interface=wg0}}. */
    String describe(SeriesKey checked) {
        String metric = checked.metric() + (threshold.relativeTo().isEmpty() ? "" : "/" + threshold.relativeTo());
        String series = new SeriesKey(metric, checked.tags()).toString();
        boolean sum = threshold.aggregation() == Threshold.Aggregation.SUM;
        boolean rate = threshold.measure() == Threshold.Measure.RATE;
        if (sum && rate) {
            return "sum of the rates of " + series;
        }
        return (sum ? "sum of " : rate ? "rate of " : "") + series;
    }

    private void close(SeriesKey checked, Round round, Instant now, List<SecurityEvent> out) {
        double sum = 0;
        boolean any = false;
        for (double m : round.members.values()) {
            if (!Double.isNaN(m)) {
                sum += m;
                any = true;
            }
        }
        AlertState state = states.computeIfAbsent(checked, k -> new AlertState(now));
        if (any) {
            check(checked, state, sum, round.unit, now, out);
        } else {
            state.seen(now);
        }
    }

    private void check(
            SeriesKey checked, AlertState state, double value, String unit, Instant now, List<SecurityEvent> out) {
        switch (state.observe(threshold, value, unit, now)) {
            case RAISED -> out.add(AlertReport.raised(threshold, describe(checked), checked.user(), value, unit, now));
            case CLEARED ->
                out.add(AlertReport.cleared(threshold, describe(checked), checked.user(), value, unit, now));
            case NONE -> {
                // still on the same side: nothing to report
            }
        }
    }
}
