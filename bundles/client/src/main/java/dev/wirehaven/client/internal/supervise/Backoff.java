package dev.wirehaven.client.internal.supervise;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before attempt {@code n} (0-based) wait a uniformly random
 * time between zero and {@code min(cap, base * 2^n)}. Full jitter spreads clients that lost the
 * server at the same moment (a server restart, a shared uplink) over the whole window, so they do
 * not come back in waves; the cap bounds how long a client stays away once the server is back.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (baseMillis < 1 || capMillis < baseMillis) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, was base " + base + ", cap " + cap);
        }
    }

    /** The upper bound of the wait before attempt {@code attempt}: {@code min(cap, base * 2^attempt)}. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt " + attempt + " is negative");
        }
        long grown = baseMillis;
        for (int i = 0; i < attempt && grown < capMillis; i++) {
            grown = grown > capMillis / 2 ? capMillis : grown * 2;
        }
        return Duration.ofMillis(Math.min(capMillis, grown));
    }

    /** A random wait in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt) {
        long bound = ceiling(attempt).toMillis();
        return Duration.ofMillis(random.nextLong(bound + 1));
    }
}
