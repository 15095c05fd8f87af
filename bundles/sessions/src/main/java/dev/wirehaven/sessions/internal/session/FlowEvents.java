package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.monitor.MonitoringDispatcher;
import dev.wirehaven.sessions.internal.store.EventEntry;
import dev.wirehaven.sessions.internal.store.EventLogRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens to sessions twice: as a row of the event log (for the operator, after the
 * fact) and as an event for the monitoring sinks (for alerting, now). A log row that cannot be
 * written does not stop the step or the event: the step has happened either way.
 */
final class FlowEvents {

    private static final Logger LOG = LoggerFactory.getLogger(FlowEvents.class);

    private final EventLogRepository log;
    private final MonitoringDispatcher monitor;
    private final Clock clock;

    FlowEvents(EventLogRepository log, MonitoringDispatcher monitor, Clock clock) {
        this.log = log;
        this.monitor = monitor;
        this.clock = clock;
    }

    /** A step of session {@code s}, in {@code phase} (the phase it entered, or is in for a step within a phase). */
    void step(SessionRecord s, SessionPhase phase, String detail) {
        boolean authenticated =
                s.identity() != null && phase != SessionPhase.REQUESTED && phase != SessionPhase.CHALLENGED;
        String user = authenticated ? s.user() : "";
        SessionEvent event = new SessionEvent(s.id(), user, phase, clock.instant(), detail);
        append(new EventEntry(
                EventEntry.UNSAVED,
                event.timestamp(),
                "session." + phase.name().toLowerCase(Locale.ROOT),
                null,
                authenticated ? user : null,
                s.id(),
                s.sourceAddress(),
                detail));
        monitor.sessionEvent(event);
    }

    /** Something that matters for security, such as a failed login or a lockout. */
    void security(String type, Severity severity, String user, InetAddress source, String sessionId, String detail) {
        SecurityEvent event =
                new SecurityEvent(type, severity, clock.instant(), user == null ? "" : user, source, detail);
        append(new EventEntry(
                EventEntry.UNSAVED,
                event.timestamp(),
                type,
                severity.name(),
                user,
                sessionId,
                source == null ? null : source.getHostAddress(),
                detail));
        monitor.securityEvent(event);
    }

    /** A running total, for the sinks only: the event log records steps, not samples. */
    void counter(String name, double value, String unit, Map<String, String> tags) {
        monitor.metric(MetricSample.counter(name, value, unit, tags, clock.instant()));
    }

    /** A value at this moment, for the sinks only. */
    void gauge(String name, double value, String unit, Map<String, String> tags) {
        monitor.metric(MetricSample.gauge(name, value, unit, tags, clock.instant()));
    }

    /** A distribution since its subject started, for the sinks only. */
    void histogram(String name, MetricSample.Buckets buckets, String unit, Map<String, String> tags) {
        monitor.metric(MetricSample.histogram(name, buckets, unit, tags, clock.instant()));
    }

    private void append(EventEntry entry) {
        try {
            log.append(entry);
        } catch (StoreException e) {
            LOG.warn(
                    "Event {} of session {} not written to the event log: {}",
                    entry.kind(),
                    entry.sessionId(),
                    e.getMessage());
        }
    }
}
