package dev.wirehaven.console.internal.sink;

import dev.wirehaven.api.monitor.MetricSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tunnel's throughput per interface, from the server's metric samples: see
 * {@link InterfaceThroughput} for how counters become rates. Bounded in every direction: at most
 * {@link #MAX_INTERFACES} interfaces, and per interface the last {@code maxPoints} points and
 * {@code maxCounters} session counters.
 */
public final class Throughput {

    /** A server has a handful of WireGuard interfaces; more names than this are not interfaces. */
    static final int MAX_INTERFACES = 32;

    private final int maxPoints;
    private final int maxCounters;
    private final Map<String, InterfaceThroughput> interfaces = new LinkedHashMap<>();

    public Throughput(int maxPoints, int maxCounters) {
        if (maxPoints < 2 || maxCounters < 1) {
            throw new IllegalArgumentException("throughput needs two points and one counter at least");
        }
        this.maxPoints = maxPoints;
        this.maxCounters = maxCounters;
    }

    /** Takes any sample; those without an {@code interface} tag say nothing about a tunnel. */
    public synchronized void accept(MetricSample sample) {
        String name = sample.tags().get("interface");
        if (name == null) {
            return;
        }
        InterfaceThroughput series = interfaces.get(name);
        if (series == null) {
            if (interfaces.size() >= MAX_INTERFACES) {
                return;
            }
            series = new InterfaceThroughput(maxPoints, maxCounters);
            interfaces.put(name, series);
        }
        series.accept(sample);
    }

    /** The points of every interface seen, by interface name in the order first seen, oldest point first. */
    public synchronized Map<String, List<ThroughputPoint>> byInterface() {
        Map<String, List<ThroughputPoint>> out = new LinkedHashMap<>();
        interfaces.forEach((name, series) -> out.put(name, series.points()));
        return out;
    }

    synchronized int trackedCounters(String name) {
        InterfaceThroughput series = interfaces.get(name);
        return series == null ? 0 : series.trackedCounters();
    }
}
