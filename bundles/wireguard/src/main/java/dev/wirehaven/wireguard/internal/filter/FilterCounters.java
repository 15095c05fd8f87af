package dev.wirehaven.wireguard.internal.filter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's denied packets by rule name. Each name has one counter, which a compiled filter resolves
 * once per rule, so that counting a denied packet is one atomic increment and no lookup. The counters
 * outlive filter replacements: a rule that keeps its name keeps its count. Only configuration and
 * snapshots reach this class.
 */
final class FilterCounters {

    private final Map<String, AtomicLong> byName = new LinkedHashMap<>();

    synchronized AtomicLong counter(String name) {
        return byName.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** Every name that denied a packet, with its count, in name order. */
    synchronized Map<String, Long> denied() {
        Map<String, Long> out = new TreeMap<>();
        byName.forEach((name, count) -> {
            long n = count.get();
            if (n > 0) {
                out.put(name, n);
            }
        });
        return out;
    }
}
