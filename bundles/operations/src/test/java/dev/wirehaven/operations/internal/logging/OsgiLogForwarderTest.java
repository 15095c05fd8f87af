package dev.wirehaven.operations.internal.logging;

import static dev.wirehaven.operations.internal.logging.TestLogEntry.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class OsgiLogForwarderTest {

    private static final String LOGGER = "org.example.forwarded";

    @Test
    void theEntriesOfEveryReaderReachSlf4jOnceEach() {
        TestLogReaderService first = new TestLogReaderService();
        TestLogReaderService second = new TestLogReaderService();
        OsgiLogForwarder forwarder = new OsgiLogForwarder();
        forwarder.addReader(first);
        forwarder.addReader(second);
        // SCR binds a service once, but a second bind must still not subscribe twice
        forwarder.addReader(first);

        try (RecordedLog log = new RecordedLog(LOGGER)) {
            first.publish(entry(LOGGER, LogLevel.WARN, "from the first reader"));
            second.publish(entry(LOGGER, LogLevel.ERROR, "from the second reader"));

            assertEquals(List.of("WARN from the first reader", "ERROR from the second reader"), log.lines());
        }
        assertEquals(1, first.listenerCount());
    }

    @Test
    void aReaderThatGoesAwayIsNoLongerListenedTo() {
        TestLogReaderService reader = new TestLogReaderService();
        OsgiLogForwarder forwarder = new OsgiLogForwarder();
        forwarder.addReader(reader);
        forwarder.removeReader(reader);

        try (RecordedLog log = new RecordedLog(LOGGER)) {
            reader.publish(entry(LOGGER, LogLevel.ERROR, "after the unbind"));
            assertEquals(List.of(), log.lines());
        }
        assertEquals(0, reader.listenerCount());
    }
}
