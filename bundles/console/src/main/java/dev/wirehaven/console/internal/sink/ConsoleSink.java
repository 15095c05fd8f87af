package dev.wirehaven.console.internal.sink;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import org.osgi.service.component.annotations.Component;

/**
 * What the console's pages show that the server does not keep: the latest security events and the
 * tunnel's throughput, both in bounded memory. The server delivers to it from the sink's own thread,
 * like to every sink; the pages read snapshots. Registered also as its own type so that the pages
 * in this bundle can reach the data (the service is not of use to other bundles).
 */
@Component(
        service = {MonitoringSink.class, ConsoleSink.class},
        property = MonitoringSink.NAME_PROPERTY + "=" + ConsoleSink.NAME)
public final class ConsoleSink implements MonitoringSink {

    public static final String NAME = "console";

    /** What the Security page lists. */
    static final int EVENTS = 200;

    /** An hour of the server's ten-second samples. */
    static final int POINTS = 360;

    /** Sessions per interface whose counters are followed; the chart undercounts beyond. */
    static final int COUNTERS = 8192;

    private final RecentEvents events;
    private final Throughput throughput;

    public ConsoleSink() {
        this(EVENTS, POINTS, COUNTERS);
    }

    ConsoleSink(int events, int points, int counters) {
        this.events = new RecentEvents(events);
        this.throughput = new Throughput(points, counters);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void metric(MetricSample sample) {
        throughput.accept(sample);
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        events.add(event);
    }

    public RecentEvents events() {
        return events;
    }

    public Throughput throughput() {
        return throughput;
    }
}
