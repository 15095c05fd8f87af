package dev.wirehaven.monitor.threats.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that tracks at most a fixed number of keys and forgets the one least recently touched when a
 * new key would pass the limit. Detectors key their state by what an attacker controls (source
 * addresses, user names as entered, session ids), so without this bound a spray from many addresses
 * would grow the heap without end; forgetting the stalest key loses at most a slow attacker's count.
 */
final class Bounded<K, V> extends LinkedHashMap<K, V> {

    private static final long serialVersionUID = 1L;

    /** The default limit of tracked keys per detector. */
    static final int DEFAULT_KEYS = 10_000;

    private final int maxKeys;

    Bounded(int maxKeys) {
        super(16, 0.75f, true);
        if (maxKeys < 1) {
            throw new IllegalArgumentException("a bounded map holds at least one key: " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxKeys;
    }

    /** Identity: a detector's state is never compared as a value, and comparing 10 000 entries would be waste. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
