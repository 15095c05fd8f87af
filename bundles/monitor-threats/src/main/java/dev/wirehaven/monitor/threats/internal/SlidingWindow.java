package dev.wirehaven.monitor.threats.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The sum of amounts seen within the last {@code window}: each amount is kept with its time and
 * dropped once it is older than the window. Amounts within the same second share one entry, so an
 * entry list never holds more than one entry per second of the window however fast amounts arrive.
 */
final class SlidingWindow {

    private record Entry(long second, double amount) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private double sum;

    /** Adds {@code amount} at {@code now} and returns the sum within the window that ends at {@code now}. */
    double add(Instant now, double amount, Duration window) {
        long second = now.getEpochSecond();
        Entry last = entries.peekLast();
        if (last != null && last.second() == second) {
            entries.pollLast();
            entries.addLast(new Entry(second, last.amount() + amount));
        } else {
            entries.addLast(new Entry(second, amount));
        }
        sum += amount;
        return sumAt(now, window);
    }

    /** The sum of the amounts newer than {@code now - window}. */
    double sumAt(Instant now, Duration window) {
        long oldest = now.minus(window).getEpochSecond();
        while (!entries.isEmpty() && entries.peekFirst().second() <= oldest) {
            sum -= entries.pollFirst().amount();
        }
        if (entries.isEmpty()) {
            sum = 0; // no drift from floating point subtraction
        }
        return sum;
    }

    /** Forgets everything: after a finding, counting starts afresh. */
    void clear() {
        entries.clear();
        sum = 0;
    }
}
