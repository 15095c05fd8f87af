package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One striped counter per {@link DropReason}, so that counting drops never contends across threads. */
final class DropCounters {

    private final LongAdder[] counters = new LongAdder[DropReason.values().length];

    DropCounters() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    void add(DropReason reason) {
        counters[reason.ordinal()].increment();
    }

    void add(DropReason reason, long n) {
        counters[reason.ordinal()].add(n);
    }

    long get(DropReason reason) {
        return counters[reason.ordinal()].sum();
    }

    Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, counters[r.ordinal()].sum());
        }
        return m;
    }
}
