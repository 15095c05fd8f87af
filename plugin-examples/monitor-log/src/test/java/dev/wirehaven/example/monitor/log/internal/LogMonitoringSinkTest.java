package dev.wirehaven.example.monitor.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogMonitoringSinkTest {

    private static final Instant T = Instant.parse("2026-11-25T10:15:30Z");

    private final Logger logger = (Logger) LoggerFactory.getLogger(LogMonitoringSink.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private List<String> lines() {
        return appender.list.stream()
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    @Test
    void aSessionEventIsOneInfoLine() {
        new LogMonitoringSink(false, Severity.MEDIUM)
                .sessionEvent(new SessionEvent("s-17", "alice", SessionPhase.ACTIVE, T, "tunnel 10.0.0.2"));
        assertEquals(
                List.of("INFO session id=s-17 user=alice phase=ACTIVE at=2026-11-25T10:15:30Z detail=tunnel 10.0.0.2"),
                lines());
    }

    @Test
    void securityEventsFromTheWarningSeverityUpAreWarnings() throws Exception {
        LogMonitoringSink sink = new LogMonitoringSink(false, Severity.HIGH);
        InetAddress src = InetAddress.getByName("198.51.100.7");
        sink.securityEvent(new SecurityEvent(SecurityEvent.AUTH_FAILURE, Severity.LOW, T, "bob", src, "bad token"));
        sink.securityEvent(new SecurityEvent(SecurityEvent.SPOOFED_SOURCE, Severity.HIGH, T, "", null, "10.9.9.9"));
        assertEquals(
                List.of(
                        "INFO security type=auth.failure severity=LOW user=bob source=198.51.100.7 at=2026-11-25T10:15:30Z detail=bad token",
                        "WARN security type=tunnel.spoofed-source severity=HIGH user=- source=- at=2026-11-25T10:15:30Z detail=10.9.9.9"),
                lines());
    }

    @Test
    void metricsAreLoggedOnlyWhenEnabled() {
        MetricSample m = new MetricSample("wirehaven.session.rx.bytes", 1024, "By", Map.of("session", "s-17"), T);
        new LogMonitoringSink(false, Severity.MEDIUM).metric(m);
        assertEquals(List.of(), lines());
        new LogMonitoringSink(true, Severity.MEDIUM).metric(m);
        assertEquals(
                List.of("DEBUG metric name=wirehaven.session.rx.bytes value=1024.0 unit=By tags={session=s-17} "
                        + "at=2026-11-25T10:15:30Z"),
                lines());
    }

    @Test
    void textFromClientsCannotStartAForgedLogLine() {
        new LogMonitoringSink(false, Severity.MEDIUM)
                .sessionEvent(new SessionEvent(
                        "s-1", "eve\nINFO session id=s-2", SessionPhase.REQUESTED, T, "laptop\r\u001b[31m"));
        assertEquals(1, lines().size());
        assertEquals(
                "INFO session id=s-1 user=eve?INFO session id=s-2 phase=REQUESTED at=2026-11-25T10:15:30Z "
                        + "detail=laptop??[31m",
                lines().get(0));
    }

    @Test
    void theSinkIsNamedLog() {
        assertEquals("log", new LogMonitoringSink(false, Severity.MEDIUM).name());
    }
}
