package dev.wirehaven.responses.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The server's event service as the tests see it: every event reported, in order. */
final class RecordingEvents implements SecurityEvents {

    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void report(SecurityEvent event) {
        events.add(event);
    }

    List<SecurityEvent> all() {
        return List.copyOf(events);
    }

    List<SecurityEvent> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    SecurityEvent last() {
        return events.get(events.size() - 1);
    }

    void clear() {
        events.clear();
    }
}
