package dev.wirehaven.operations.internal.logging;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A log entry as a Log Service hands it to its listeners; without a bundle (the forwarder is given the name). */
record TestLogEntry(
        String loggerName, LogLevel logLevel, String message, Throwable exception, ServiceReference<?> service)
        implements LogEntry {

    static TestLogEntry entry(String loggerName, LogLevel level, String message) {
        return new TestLogEntry(loggerName, level, message, null, null);
    }

    TestLogEntry withException(Throwable e) {
        return new TestLogEntry(loggerName, logLevel, message, e, service);
    }

    TestLogEntry withService(ServiceReference<?> reference) {
        return new TestLogEntry(loggerName, logLevel, message, exception, reference);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public ServiceReference<?> getServiceReference() {
        return service;
    }

    @Deprecated
    @Override
    public int getLevel() {
        return logLevel.ordinal();
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Throwable getException() {
        return exception;
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public LogLevel getLogLevel() {
        return logLevel;
    }

    @Override
    public String getLoggerName() {
        return loggerName;
    }

    @Override
    public long getSequence() {
        return 0;
    }

    @Override
    public String getThreadInfo() {
        return "test";
    }

    @Override
    public StackTraceElement getLocation() {
        return null;
    }
}
