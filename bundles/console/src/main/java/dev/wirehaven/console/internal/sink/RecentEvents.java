package dev.wirehaven.console.internal.sink;

import dev.wirehaven.api.monitor.SecurityEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest security events, at most a fixed number: what the Security page lists. The oldest
 * event goes when a new one would pass the bound, so a flood of refused logins costs the console a
 * few hundred records, never more.
 */
public final class RecentEvents {

    private final int capacity;
    private final ArrayDeque<SecurityEvent> events;

    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a log of recent events holds at least one: " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    public synchronized void add(SecurityEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** The events kept, newest first. */
    public synchronized List<SecurityEvent> newestFirst() {
        List<SecurityEvent> out = new ArrayList<>(events.size());
        events.descendingIterator().forEachRemaining(out::add);
        return out;
    }

    public int capacity() {
        return capacity;
    }
}
