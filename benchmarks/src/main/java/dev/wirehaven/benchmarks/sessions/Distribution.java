package dev.wirehaven.benchmarks.sessions;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Percentiles of a set of durations (nearest rank: p99 of 1,000 values is the 990th smallest, so it
 * is a value that was measured, never an interpolation), in milliseconds.
 */
final class Distribution {

    private final long[] sortedNanos;

    private Distribution(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    /** The durations that {@code of} gives for {@code items}, leaving out the missing ones ({@link SetupTimeline#NONE}). */
    static <T> Distribution of(Iterable<T> items, ToLongFunction<T> of) {
        long[] values = new long[16];
        int n = 0;
        for (T item : items) {
            long v = of.applyAsLong(item);
            if (v == SetupTimeline.NONE) {
                continue;
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return new Distribution(sorted);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 100) in milliseconds, NaN when empty. */
    double percentileMillis(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    double meanMillis() {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : sortedNanos) {
            sum += v;
        }
        return sum / sortedNanos.length / 1e6;
    }

    /** One table row: label, count, p50, p90, p99, max, mean. */
    String row(String label) {
        return String.format(
                Locale.ROOT,
                "  %-40s %6d %9.1f %9.1f %9.1f %9.1f %9.1f",
                label,
                count(),
                percentileMillis(50),
                percentileMillis(90),
                percentileMillis(99),
                maxMillis(),
                meanMillis());
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "  %-40s %6s %9s %9s %9s %9s %9s",
                "(milliseconds)",
                "n",
                "p50",
                "p90",
                "p99",
                "max",
                "mean");
    }
}
