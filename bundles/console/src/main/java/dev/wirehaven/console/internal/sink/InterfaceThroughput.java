package dev.wirehaven.console.internal.sink;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one interface's per-session byte counters into a series of throughput points.
 *
 * <p>The server samples its device every ten seconds and sends, within a few milliseconds, each
 * session's running totals ({@code peer.bytes.received}, {@code peer.bytes.sent}) and then the
 * interface's gauges (sessions by phase). So the samples of one interface come in bursts, one burst
 * per device sample; a burst is closed, and becomes a point, when a sample arrives more than
 * {@link #BURST} after the burst's first one. A burst without any session (the gauges alone) is a
 * point of zero: the chart shows an idle tunnel as idle, not as a gap.
 *
 * <p>Each counter's rate is its own increase over its own interval (a session first seen gives no
 * rate until its second sample); a counter lower than before belongs to a subject that started again
 * from zero, so its whole value is the increase. Counters of sessions that stopped reporting are
 * forgotten after {@link #FORGET}; at most {@code maxCounters} are tracked, and at most
 * {@code maxPoints} points kept.
 */
final class InterfaceThroughput {

    static final String RECEIVED = "peer.bytes.received";
    static final String SENT = "peer.bytes.sent";

    /** Longer than a burst of one device sample takes, far shorter than the ten seconds between them. */
    static final Duration BURST = Duration.ofSeconds(2);

    /** Six missed samples: the session has ended (or its peer left the device). */
    static final Duration FORGET = Duration.ofSeconds(60);

    private record CounterKey(String session, String name) {}

    private record Reading(double value, Instant time) {}

    private final int maxPoints;
    private final int maxCounters;
    private final ArrayDeque<ThroughputPoint> points;
    private final Map<CounterKey, Reading> last = new HashMap<>();

    private Instant burstStart;
    private double burstReceived;
    private double burstSent;

    InterfaceThroughput(int maxPoints, int maxCounters) {
        this.maxPoints = maxPoints;
        this.maxCounters = maxCounters;
        this.points = new ArrayDeque<>(maxPoints);
    }

    void accept(MetricSample sample) {
        Instant t = sample.timestamp();
        if (burstStart != null && Duration.between(burstStart, t).compareTo(BURST) > 0) {
            closeBurst(t);
        }
        if (burstStart == null) {
            burstStart = t;
        }
        boolean received = sample.name().equals(RECEIVED);
        if (sample.kind() != MetricSample.Kind.COUNTER
                || !(received || sample.name().equals(SENT))) {
            return;
        }
        CounterKey key = new CounterKey(sample.tags().getOrDefault("session", ""), sample.name());
        if (!last.containsKey(key) && last.size() >= maxCounters) {
            return; // bounded: more sessions than tracked; the chart undercounts rather than grows
        }
        Reading before = last.put(key, new Reading(sample.value(), t));
        if (before == null || !t.isAfter(before.time())) {
            return;
        }
        double increase = sample.value() >= before.value() ? sample.value() - before.value() : sample.value();
        double rate = increase / (Duration.between(before.time(), t).toMillis() / 1000.0);
        if (received) {
            burstReceived += rate;
        } else {
            burstSent += rate;
        }
    }

    private void closeBurst(Instant now) {
        if (points.size() == maxPoints) {
            points.removeFirst();
        }
        points.addLast(new ThroughputPoint(burstStart, burstReceived, burstSent));
        burstStart = null;
        burstReceived = 0;
        burstSent = 0;
        Instant horizon = now.minus(FORGET);
        last.values().removeIf(r -> r.time().isBefore(horizon));
    }

    /** The closed points, oldest first (the burst in progress is not one yet). */
    List<ThroughputPoint> points() {
        return List.copyOf(points);
    }

    int trackedCounters() {
        return last.size();
    }
}
