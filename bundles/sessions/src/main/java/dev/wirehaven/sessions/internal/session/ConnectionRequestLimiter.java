package dev.wirehaven.sessions.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits connection requests per source ({@link SourceKey}) with a token bucket: a source earns one
 * request every {@link RequestLimits#interval()} and may save up to {@link RequestLimits#burst()}.
 * Tokens are counted in nanoseconds of the injected clock's instants, so that the tests move time by
 * hand. In memory: a restart refills every bucket, which only gives a flood one more burst.
 *
 * <p>The table is bounded by {@value #MAX_SOURCES} sources. A source whose bucket is full again is
 * no different from one never seen, so the reaper forgets those ({@link #prune}); when the table is
 * still full, a new source is refused until entries go, rather than letting a flood from many
 * addresses grow memory without bound (the WireGuard rate limiter does the same).
 */
final class ConnectionRequestLimiter {

    static final int MAX_SOURCES = 65_536;

    private final Map<String, Bucket> buckets = new HashMap<>();

    /**
     * Takes one request's token for {@code source}.
     *
     * @return empty when the request may go ahead, else how long until the source has a token again
     */
    synchronized Optional<Duration> acquire(String source, Instant now, RequestLimits limits) {
        long cost = limits.interval().toNanos();
        long capacity = cost * limits.burst();
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= MAX_SOURCES) {
                prune(now, limits);
                if (buckets.size() >= MAX_SOURCES) {
                    return Optional.of(limits.interval());
                }
            }
            b = new Bucket(capacity, now);
            buckets.put(source, b);
        }
        b.refill(now, capacity);
        if (b.tokens >= cost) {
            b.tokens -= cost;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(cost - b.tokens));
    }

    /** Forgets the sources whose bucket has filled up again: they are as good as new. */
    synchronized void prune(Instant now, RequestLimits limits) {
        long capacity = limits.interval().toNanos() * limits.burst();
        buckets.values().removeIf(b -> {
            b.refill(now, capacity);
            return b.tokens >= capacity;
        });
    }

    /** Sources being tracked (for tests and diagnostics). */
    synchronized int size() {
        return buckets.size();
    }

    /** One source's tokens in nanoseconds, as of {@code last}; guarded by the limiter. */
    private static final class Bucket {
        long tokens;
        Instant last;

        Bucket(long tokens, Instant last) {
            this.tokens = tokens;
            this.last = last;
        }

        void refill(Instant now, long capacity) {
            if (now.isAfter(last)) {
                Duration elapsed = Duration.between(last, now);
                long earned = elapsed.compareTo(Duration.ofNanos(capacity)) >= 0 ? capacity : elapsed.toNanos();
                tokens = Math.min(capacity, tokens + earned);
                last = now;
            }
            // a capacity lowered by a configuration change applies at once
            tokens = Math.min(tokens, capacity);
        }
    }
}
