package dev.wirehaven.wireguard.internal.ratelimiter;

import dev.wirehaven.wireguard.internal.time.Clock;

/**
 * One global token bucket on the injected clock: {@code perSecond} takes a second, at most
 * {@code burst} at once. For budgets that do not depend on the source (the cookie replies and the
 * Curve25519 work of the handshake worker); {@link RateLimiter} is the per-source one.
 *
 * <p>Tokens are counted in nanoseconds, as in {@link RateLimiter}: a take costs 1 s / perSecond. No
 * allocation; the instance lock is uncontended with one handshake worker.
 */
public final class TokenBucket {

    private final Clock clock;
    private final long cost;
    private final long max;
    private long tokens;
    private long last;

    public TokenBucket(Clock clock, int perSecond, int burst) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("perSecond and burst must be positive");
        }
        this.clock = clock;
        this.cost = 1_000_000_000L / perSecond;
        this.max = cost * burst;
        this.tokens = max;
        this.last = clock.nanoTime();
    }

    /** Takes one token if there is one. */
    public synchronized boolean take() {
        refill();
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** Whether a {@link #take()} now would fail; takes nothing. */
    public synchronized boolean isEmpty() {
        refill();
        return tokens < cost;
    }

    private void refill() {
        long now = clock.nanoTime();
        long elapsed = now - last;
        last = now;
        if (elapsed > 0) {
            tokens = elapsed >= max ? max : Math.min(max, tokens + elapsed);
        }
    }
}
