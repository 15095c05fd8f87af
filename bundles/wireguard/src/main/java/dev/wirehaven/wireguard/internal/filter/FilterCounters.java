package dev.wirehaven.wireguard.internal.filter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's denied packets and allowed flows by rule name. Each name has one counter of each, which a
 * compiled filter resolves once per rule, so that counting is one atomic increment and no lookup. The counters
 * outlive filter replacements: a rule that keeps its name keeps its count. Only configuration and
 * snapshots reach this class.
 */
final class FilterCounters {

    private final Map<String, AtomicLong> byName = new LinkedHashMap<>();
    private final Map<String, AtomicLong> allowedByName = new LinkedHashMap<>();

    synchronized AtomicLong counter(String name) {
        return byName.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** The counter of the flows that rule {@code name} allowed. */
    synchronized AtomicLong allowedCounter(String name) {
        return allowedByName.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** Every name that denied a packet, with its count, in name order. */
    synchronized Map<String, Long> denied() {
        return nonZero(byName);
    }

    /** Every rule that allowed a flow, with the number of flows, in name order. */
    synchronized Map<String, Long> allowed() {
        return nonZero(allowedByName);
    }

    private static Map<String, Long> nonZero(Map<String, AtomicLong> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, count) -> {
            long n = count.get();
            if (n > 0) {
                out.put(name, n);
            }
        });
        return out;
    }
}
