package dev.wirehaven.operations.internal.logging;

import java.util.Arrays;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;

/**
 * An OSGi log entry as the SLF4J event it becomes: which logger, which level, which words.
 *
 * <ul>
 *   <li>Logger: the symbolic name of the bundle the entry is about, so that an operator reads and
 *       tunes FileInstall, SCR or a plugin under the name they know it by (most entries carry no
 *       better name: the classic {@code LogService} methods log to the logger "LogService", in Felix Log
 *       "LogService.&lt;symbolic name&gt;").
 *       Entries without a bundle keep their own logger name.</li>
 *   <li>Level: the same level. AUDIT, which SLF4J lacks, becomes INFO with the {@value #AUDIT_MARKER}
 *       marker. The Log Service's own records of framework events (logger names {@code Events.*}: a
 *       line for every bundle state change and service registration) are DEBUG, because FileInstall,
 *       SCR and the plugin registry already report what matters about them in words; an event that
 *       is an error or a warning keeps its level.</li>
 *   <li>Message: the entry's message, followed by the service it is about, if any.</li>
 * </ul>
 */
record ForwardedEntry(String loggerName, Level level, boolean audit, String message, Throwable exception) {

    static final String AUDIT_MARKER = "AUDIT";
    /** The logger name for an entry with neither bundle nor logger name. */
    static final String ANONYMOUS = "osgi.log";
    /** The prefix of the logger names under which the Log Service records framework, bundle and service events. */
    private static final String EVENTS = "Events.";
    /** Felix Log records a framework WARNING event at INFO; the OSGi spec maps it to WARN. */
    private static final String FRAMEWORK_WARNING = "FrameworkEvent WARNING";

    private static final Marker AUDIT = MarkerFactory.getMarker(AUDIT_MARKER);

    static ForwardedEntry of(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        return of(bundle == null ? null : bundle.getSymbolicName(), entry);
    }

    /** The entry's event, given the symbolic name of its bundle (null when it has none). */
    static ForwardedEntry of(String bundleSymbolicName, LogEntry entry) {
        return new ForwardedEntry(
                loggerNameOf(bundleSymbolicName, entry.getLoggerName()),
                levelOf(entry),
                entry.getLogLevel() == LogLevel.AUDIT,
                messageOf(entry),
                entry.getException());
    }

    /** Writes this event to its SLF4J logger; the message is taken as it is, never as a format pattern. */
    void write() {
        Logger logger = LoggerFactory.getLogger(loggerName);
        Marker marker = audit ? AUDIT : null;
        switch (level) {
            case ERROR -> logger.error(marker, message, exception);
            case WARN -> logger.warn(marker, message, exception);
            case INFO -> logger.info(marker, message, exception);
            case DEBUG -> logger.debug(marker, message, exception);
            case TRACE -> logger.trace(marker, message, exception);
        }
    }

    private static String loggerNameOf(String bundleSymbolicName, String entryLoggerName) {
        if (bundleSymbolicName != null && !bundleSymbolicName.isBlank()) {
            return bundleSymbolicName;
        }
        return entryLoggerName != null && !entryLoggerName.isBlank() ? entryLoggerName : ANONYMOUS;
    }

    static Level levelOf(LogEntry entry) {
        LogLevel level = entry.getLogLevel() == null ? LogLevel.INFO : entry.getLogLevel();
        String name = entry.getLoggerName();
        if (name != null && name.startsWith(EVENTS)) {
            if (FRAMEWORK_WARNING.equals(entry.getMessage())) {
                return Level.WARN;
            }
            if (level == LogLevel.INFO) {
                return Level.DEBUG;
            }
        }
        return switch (level) {
            case AUDIT, INFO -> Level.INFO;
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case DEBUG -> Level.DEBUG;
            case TRACE -> Level.TRACE;
        };
    }

    private static String messageOf(LogEntry entry) {
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        ServiceReference<?> service = entry.getServiceReference();
        if (service == null) {
            return message;
        }
        Object objectClass = service.getProperty(Constants.OBJECTCLASS);
        String types = objectClass instanceof String[] names
                ? String.join(", ", Arrays.asList(names))
                : String.valueOf(objectClass);
        return message + " [service " + service.getProperty(Constants.SERVICE_ID) + ": " + types + "]";
    }
}
