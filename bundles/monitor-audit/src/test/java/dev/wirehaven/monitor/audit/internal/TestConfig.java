package dev.wirehaven.monitor.audit.internal;

import java.lang.annotation.Annotation;

/** The sink's configuration as a test gives it: the defaults, with a syslog target and a CA file. */
record TestConfig(String syslogTarget, String caFile, long maxFileBytes) implements AuditSink.Config {

    TestConfig(String syslogTarget) {
        this(syslogTarget, "", 10L * 1024 * 1024);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return AuditSink.Config.class;
    }

    @Override
    public String directory() {
        return "audit";
    }

    @Override
    public long max_file_bytes() {
        return maxFileBytes;
    }

    @Override
    public int max_files() {
        return 30;
    }

    @Override
    public int max_age_days() {
        return 90;
    }

    @Override
    public String syslog_target() {
        return syslogTarget;
    }

    @Override
    public String syslog_tls_ca_file() {
        return caFile;
    }

    @Override
    public int syslog_facility() {
        return SyslogMessage.DEFAULT_FACILITY;
    }
}
