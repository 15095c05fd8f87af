package dev.wirehaven.example.monitor.log.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MonitoringSink} that writes what it receives to the log through slf4j: session events at
 * INFO, security events at WARN from a configurable severity up (INFO below it), metric samples at
 * DEBUG when enabled. One line per event, {@code key=value} pairs, so that log tools can parse them.
 *
 * <p>Text in events can come from clients (a device name, a user name as typed), so control
 * characters are replaced before logging: a client must not be able to forge log lines.
 *
 * <p>The server delivers events from a thread of its own (see {@link MonitoringSink}), so writing
 * the log here never slows a client down.
 */
@Component(
        service = MonitoringSink.class,
        configurationPid = LogMonitoringSink.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = MonitoringSink.NAME_PROPERTY + "=" + LogMonitoringSink.NAME)
@Designate(ocd = LogMonitoringSink.Config.class)
public final class LogMonitoringSink implements MonitoringSink {

    /** The configuration PID: {@code etc/dev.wirehaven.example.monitor.log.cfg}. */
    public static final String PID = "dev.wirehaven.example.monitor.log";
    /** The sink's name. */
    public static final String NAME = "log";

    @ObjectClassDefinition(
            name = "Wirehaven example: log monitoring sink",
            description = "Writes session events, security events and (optionally) metrics to the log.")
    public @interface Config {
        @AttributeDefinition(name = "Log metrics", description = "Also log every metric sample, at DEBUG.")
        boolean metrics_enabled() default false;

        @AttributeDefinition(
                name = "Warning severity",
                description = "Security events at this severity or above are logged at WARN, the others at INFO.")
        Severity warn_severity() default Severity.MEDIUM;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogMonitoringSink.class);

    private final boolean metricsEnabled;
    private final Severity warnSeverity;

    @Activate
    public LogMonitoringSink(Config config) {
        this(config.metrics_enabled(), config.warn_severity());
    }

    LogMonitoringSink(boolean metricsEnabled, Severity warnSeverity) {
        this.metricsEnabled = metricsEnabled;
        this.warnSeverity = warnSeverity;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void metric(MetricSample sample) {
        if (metricsEnabled && LOG.isDebugEnabled()) {
            LOG.debug(
                    "metric name={} value={} unit={} tags={} at={}",
                    clean(sample.name()),
                    sample.value(),
                    clean(sample.unit()),
                    clean(sample.tags().toString()),
                    sample.timestamp());
        }
    }

    @Override
    public void sessionEvent(SessionEvent event) {
        LOG.info(
                "session id={} user={} phase={} at={} detail={}",
                clean(event.sessionId()),
                clean(event.user()),
                event.phase(),
                event.timestamp(),
                clean(event.detail()));
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        String format = "security type={} severity={} user={} source={} at={} detail={}";
        Object[] args = {
            clean(event.type()),
            event.severity(),
            clean(event.user()),
            event.source() == null ? "-" : event.source().getHostAddress(),
            event.timestamp(),
            clean(event.detail())
        };
        if (event.severity().isAtLeast(warnSeverity)) {
            LOG.warn(format, args);
        } else {
            LOG.info(format, args);
        }
    }

    /** Replaces control characters (CR, LF, ESC...) so that one event stays one log line. */
    static String clean(String text) {
        if (text.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
