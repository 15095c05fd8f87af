package dev.wirehaven.operations.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one logback logger receives while a test runs, at every level, through logback's own list
 * appender; meanwhile the logger's events stay out of the console (expected errors with their stack
 * traces would only bury real failures in the build output).
 */
public final class RecordedLog implements AutoCloseable {

    private final Logger logger;
    private final Level levelBefore;
    private final boolean additiveBefore;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public RecordedLog(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        levelBefore = logger.getLevel();
        additiveBefore = logger.isAdditive();
        logger.setLevel(Level.TRACE);
        logger.setAdditive(false);
        appender.start();
        logger.addAppender(appender);
    }

    public RecordedLog(Class<?> loggerName) {
        this(loggerName.getName());
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** "LEVEL message" for each event so far. */
    public List<String> lines() {
        return events().stream()
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        logger.setAdditive(additiveBefore);
    }
}
