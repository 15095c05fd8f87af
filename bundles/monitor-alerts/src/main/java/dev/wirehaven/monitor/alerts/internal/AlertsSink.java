package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.monitor.SessionEvent;
import java.time.Clock;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The performance alerts: a {@link MonitoringSink} named {@value #NAME} that checks every metric
 * sample against the thresholds ({@link ThresholdComponent}, one per factory configuration) and
 * reports an alert raised or cleared as a security event through the server's {@link SecurityEvents},
 * so that it reaches every sink (the audit log, syslog, a pager) like the server's own events. It
 * reports nothing else.
 *
 * <p>The server delivers samples from this sink's own thread, one at a time; thresholds arrive on the
 * framework's thread. Session events are used only to forget the series of a session that ended. Also
 * registered under its own class for {@link AlertsCommand}.
 */
@Component(
        service = {MonitoringSink.class, AlertsSink.class},
        property = MonitoringSink.NAME_PROPERTY + "=" + AlertsSink.NAME)
public final class AlertsSink implements MonitoringSink {

    static final String NAME = "alerts";

    private static final Logger LOG = LoggerFactory.getLogger(AlertsSink.class);

    private final SecurityEvents events;
    private final AlertBoard board;

    @Activate
    public AlertsSink(@Reference SecurityEvents events) {
        this(events, Clock.systemUTC());
    }

    AlertsSink(SecurityEvents events, Clock clock) {
        this.events = events;
        this.board = new AlertBoard(clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void metric(MetricSample sample) {
        report(board.accept(sample));
    }

    /** A session that ended takes its series with it: their alerts are cleared at once. */
    @Override
    public void sessionEvent(SessionEvent event) {
        if (event.phase().isTerminal()) {
            report(board.sessionEnded(event.sessionId()));
        }
    }

    @Reference(
            service = ThresholdComponent.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeThreshold")
    void addThreshold(ThresholdComponent component) {
        add(component.threshold());
    }

    void removeThreshold(ThresholdComponent component) {
        remove(component.threshold());
    }

    /** Starts checking a threshold; a second one of the same name is refused, the first goes on. */
    void add(Threshold threshold) {
        if (!board.add(threshold)) {
            LOG.error(
                    "Alert threshold {} not used: another threshold has that name; give one of them another"
                            + " name = and save its file again",
                    threshold.name());
        }
    }

    /** Stops checking a threshold; its raised alerts are cleared. */
    void remove(Threshold threshold) {
        report(board.remove(threshold));
    }

    AlertBoard board() {
        return board;
    }

    private void report(List<SecurityEvent> changes) {
        for (SecurityEvent e : changes) {
            events.report(e);
        }
    }
}
