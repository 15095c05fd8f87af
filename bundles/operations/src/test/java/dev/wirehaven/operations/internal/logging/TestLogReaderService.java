package dev.wirehaven.operations.internal.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * A Log Service reader that delivers what {@link #publish} is given to its listeners, on the
 * caller's thread. It keeps every listener it is given, twice if given twice, so that a test sees
 * whether the forwarder subscribes more than once.
 */
final class TestLogReaderService implements LogReaderService {

    private final List<LogListener> listeners = new ArrayList<>();

    @Override
    public synchronized void addLogListener(LogListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void removeLogListener(LogListener listener) {
        listeners.removeIf(l -> l == listener);
    }

    @Override
    public Enumeration<LogEntry> getLog() {
        return Collections.emptyEnumeration();
    }

    synchronized int listenerCount() {
        return listeners.size();
    }

    void publish(LogEntry entry) {
        List<LogListener> now;
        synchronized (this) {
            now = List.copyOf(listeners);
        }
        now.forEach(listener -> listener.logged(entry));
    }
}
