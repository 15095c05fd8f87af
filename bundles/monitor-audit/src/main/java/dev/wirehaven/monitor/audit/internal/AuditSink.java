package dev.wirehaven.monitor.audit.internal;

import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.server.support.files.DataDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit sink: every session event and every security event becomes one JSON line in
 * {@code <data>/audit/audit.log} (rotated and retained, owner-only) and, when {@code syslog.target} is
 * set, an RFC 5424 message to that collector (a SIEM). The server calls a sink from the sink's own
 * thread, so writing and sending here never slow a client down.
 *
 * <p>A bad {@code syslog.target} or CA file fails the activation with a message naming the key: the
 * configuration is wrong, and a silent audit trail would look like a quiet server.
 */
@Component(
        service = MonitoringSink.class,
        configurationPid = AuditSink.PID,
        property = MonitoringSink.NAME_PROPERTY + "=" + AuditSink.NAME)
@Designate(ocd = AuditSink.Config.class)
public final class AuditSink implements MonitoringSink {

    static final String NAME = "audit";
    static final String PID = "dev.wirehaven.monitor.audit";

    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

    @ObjectClassDefinition(
            name = "Wirehaven audit log",
            description = "Session and security events as JSON lines in a rotating file, optionally as syslog")
    public @interface Config {
        @AttributeDefinition(description = "The audit directory; relative to the data directory. Default: audit")
        String directory() default "audit";

        @AttributeDefinition(description = "Bytes after which audit.log is rotated")
        long max_file_bytes() default 10L * 1024 * 1024;

        @AttributeDefinition(description = "Rotated files kept; older ones are removed")
        int max_files() default 30;

        @AttributeDefinition(description = "Days a rotated file is kept at most")
        int max_age_days() default 90;

        @AttributeDefinition(
                description = "Forward every record as RFC 5424 syslog: udp://HOST[:514], tcp://HOST[:601] or"
                        + " tls://HOST[:6514]; empty: no forwarding")
        String syslog_target() default "";

        @AttributeDefinition(
                description = "For tls://: PEM file of the CA(s) that sign the collector's certificate;"
                        + " empty: the JDK's trust store")
        String syslog_tls_ca_file() default "";

        @AttributeDefinition(description = "RFC 5424 facility number; 10 is security/authorization (private)")
        int syslog_facility() default SyslogMessage.DEFAULT_FACILITY;
    }

    private final RotatingLog log;
    private final SyslogSender syslog;
    private final int facility;
    private final String hostname;
    private final long pid = ProcessHandle.current().pid();

    @Activate
    public AuditSink(BundleContext context, Config config) throws IOException, GeneralSecurityException {
        this(DataDirectory.of(context.getProperty(DataDirectory.PROPERTY)), config, Clock.systemUTC());
    }

    AuditSink(Path dataDirectory, Config config, Clock clock) throws IOException, GeneralSecurityException {
        if (config.syslog_facility() < 0 || config.syslog_facility() > 23) {
            throw new IllegalArgumentException(
                    "syslog.facility " + config.syslog_facility() + " is not an RFC 5424 facility (0 to 23)");
        }
        this.facility = config.syslog_facility();
        Path dir = dataDirectory.resolve(config.directory());
        this.log = new RotatingLog(
                dir,
                Math.max(4096, config.max_file_bytes()),
                Math.max(1, config.max_files()),
                Duration.ofDays(Math.max(1, config.max_age_days())),
                clock);
        String target = config.syslog_target().strip();
        String ca = config.syslog_tls_ca_file().strip();
        this.syslog = target.isEmpty()
                ? null
                : new SyslogSender(SyslogTarget.parse(target), ca.isEmpty() ? null : dataDirectory.resolve(ca), clock);
        this.hostname = hostname();
        LOG.info("Audit log in {}{}", dir, syslog == null ? "" : ", forwarded as syslog to " + target);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void sessionEvent(SessionEvent event) {
        record(AuditRecord.of(event));
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        record(AuditRecord.of(event));
    }

    private void record(AuditRecord r) {
        try {
            log.append(r.json());
        } catch (IOException e) {
            LOG.error("The audit record of {} at {} is not written: {}", r.type(), r.timestamp(), e.toString());
        }
        if (syslog != null) {
            syslog.send(SyslogMessage.format(r, facility, hostname, "wirehaven", pid));
        }
    }

    @Deactivate
    void deactivate() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("Closing the audit log: {}", e.toString());
        }
        if (syslog != null) {
            syslog.close();
            LOG.info(
                    "Syslog: {} records sent, {} dropped while the collector was unreachable",
                    syslog.sent(),
                    syslog.dropped());
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
