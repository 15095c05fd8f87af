package dev.wirehaven.operations.internal.logging;

import static dev.wirehaven.operations.internal.logging.TestLogEntry.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;
import org.slf4j.event.Level;

class ForwardedEntryTest {

    private static final String BUNDLE = "org.example.some-bundle";

    @Test
    void everyOsgiLevelKeepsItsSlf4jCounterpartAndAuditBecomesMarkedInfo() {
        assertEquals(Level.ERROR, forwarded(LogLevel.ERROR).level());
        assertEquals(Level.WARN, forwarded(LogLevel.WARN).level());
        assertEquals(Level.INFO, forwarded(LogLevel.INFO).level());
        assertEquals(Level.DEBUG, forwarded(LogLevel.DEBUG).level());
        assertEquals(Level.TRACE, forwarded(LogLevel.TRACE).level());

        ForwardedEntry audit = forwarded(LogLevel.AUDIT);
        assertEquals(Level.INFO, audit.level());
        assertTrue(audit.audit());
        assertFalse(forwarded(LogLevel.ERROR).audit());
    }

    @Test
    void theLogServicesRecordsOfFrameworkEventsAreDebugUnlessTheyReportATrouble() {
        assertEquals(
                Level.DEBUG,
                ForwardedEntry.of(BUNDLE, entry("Events.Bundle." + BUNDLE, LogLevel.INFO, "BundleEvent STARTED"))
                        .level());
        assertEquals(
                Level.DEBUG,
                ForwardedEntry.of(BUNDLE, entry("Events.Service." + BUNDLE, LogLevel.INFO, "ServiceEvent REGISTERED"))
                        .level());
        assertEquals(
                Level.DEBUG,
                ForwardedEntry.of(
                                BUNDLE,
                                entry(
                                        "Events.Framework.org.apache.felix.framework",
                                        LogLevel.INFO,
                                        "FrameworkEvent PACKAGES REFRESHED"))
                        .level());
        assertEquals(
                Level.ERROR,
                ForwardedEntry.of(BUNDLE, entry("Events.Framework." + BUNDLE, LogLevel.ERROR, "FrameworkEvent ERROR"))
                        .level());
        // Felix Log records it at INFO; the OSGi Log Service spec maps a framework WARNING event to WARN
        assertEquals(
                Level.WARN,
                ForwardedEntry.of(BUNDLE, entry("Events.Framework." + BUNDLE, LogLevel.INFO, "FrameworkEvent WARNING"))
                        .level());
        // the same words from an ordinary logger are an ordinary message
        assertEquals(
                Level.INFO,
                ForwardedEntry.of(BUNDLE, entry("LogService", LogLevel.INFO, "BundleEvent STARTED"))
                        .level());
    }

    @Test
    void theLoggerIsTheBundlesSymbolicNameElseTheEntrysOwnName() {
        // FileInstall logs through the classic LogService methods: Felix Log names their logger after the service
        assertEquals(
                "org.apache.felix.fileinstall",
                ForwardedEntry.of(
                                "org.apache.felix.fileinstall",
                                entry("LogService.org.apache.felix.fileinstall", LogLevel.WARN, "w"))
                        .loggerName());
        assertEquals(
                "some.logger",
                ForwardedEntry.of(null, entry("some.logger", LogLevel.WARN, "w"))
                        .loggerName());
        assertEquals(
                ForwardedEntry.ANONYMOUS,
                ForwardedEntry.of(null, entry(null, LogLevel.WARN, "w")).loggerName());
        assertEquals(
                ForwardedEntry.ANONYMOUS,
                ForwardedEntry.of(" ", entry("", LogLevel.WARN, "w")).loggerName());
    }

    @Test
    void theMessageNamesTheServiceTheEntryIsAbout() {
        TestServiceReference service =
                new TestServiceReference(12, "org.osgi.service.log.LogService", "org.osgi.service.log.LoggerFactory");
        assertEquals(
                "ServiceEvent REGISTERED [service 12: org.osgi.service.log.LogService, org.osgi.service.log.LoggerFactory]",
                ForwardedEntry.of(
                                BUNDLE,
                                entry("Events.Service." + BUNDLE, LogLevel.INFO, "ServiceEvent REGISTERED")
                                        .withService(service))
                        .message());
        assertEquals(
                "plain",
                ForwardedEntry.of(BUNDLE, entry("x", LogLevel.INFO, "plain")).message());
        assertEquals(
                "", ForwardedEntry.of(BUNDLE, entry("x", LogLevel.INFO, null)).message());
    }

    @Test
    void writingLogsTheMessageVerbatimWithTheExceptionUnderTheBundlesName() {
        IOException failure = new IOException("disk full");
        try (RecordedLog log = new RecordedLog(BUNDLE)) {
            ForwardedEntry.of(
                            BUNDLE,
                            entry("LogService", LogLevel.ERROR, "Failed to install {} at 100%")
                                    .withException(failure))
                    .write();
            ForwardedEntry.of(BUNDLE, entry("LogService", LogLevel.AUDIT, "configuration changed"))
                    .write();
            ForwardedEntry.of(BUNDLE, entry("Events.Bundle." + BUNDLE, LogLevel.INFO, "BundleEvent STARTED"))
                    .write();

            List<ILoggingEvent> events = log.events();
            assertEquals(
                    List.of(
                            "ERROR Failed to install {} at 100%",
                            "INFO configuration changed", "DEBUG BundleEvent STARTED"),
                    log.lines());
            assertEquals(BUNDLE, events.get(0).getLoggerName());
            assertEquals(
                    IOException.class.getName(),
                    events.get(0).getThrowableProxy().getClassName());
            assertEquals("disk full", events.get(0).getThrowableProxy().getMessage());
            assertEquals(
                    List.of(ForwardedEntry.AUDIT_MARKER),
                    events.get(1).getMarkerList().stream().map(m -> m.getName()).toList());
            assertNull(events.get(0).getMarkerList());
        }
    }

    private static ForwardedEntry forwarded(LogLevel level) {
        return ForwardedEntry.of(BUNDLE, entry("LogService", level, "m"));
    }
}
