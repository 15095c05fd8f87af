package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionRequestLimiterTest {

    private static final RequestLimits LIMITS = new RequestLimits(30, 3, 100, 10);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final ConnectionRequestLimiter limiter = new ConnectionRequestLimiter();

    @Test
    void aSourceSpendsItsBurstAndThenEarnsOneRequestPerInterval() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("198.51.100.7", T0, LIMITS));
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), limiter.acquire("198.51.100.7", T0, LIMITS));
        assertEquals(
                Optional.of(Duration.ofMillis(500)),
                limiter.acquire("198.51.100.7", T0.plusMillis(1500), LIMITS),
                "refused requests cost nothing");

        assertEquals(Optional.empty(), limiter.acquire("198.51.100.7", T0.plusSeconds(2), LIMITS));
        assertEquals(Optional.of(Duration.ofSeconds(2)), limiter.acquire("198.51.100.7", T0.plusSeconds(2), LIMITS));
        assertEquals(Optional.empty(), limiter.acquire("198.51.100.8", T0, LIMITS), "each source has its own bucket");
    }

    @Test
    void aQuietSpellRefillsTheBurstButNoMoreAndPruningForgetsFullBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("2001:db8::/64", T0, LIMITS);
        }
        limiter.acquire("198.51.100.7", T0.plusSeconds(59), LIMITS);

        limiter.prune(T0.plusSeconds(60), LIMITS);

        assertEquals(1, limiter.size(), "the /64 has its whole burst back; 198.51.100.7 not yet");
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("2001:db8::/64", T0.plus(Duration.ofDays(1)), LIMITS));
        }
        assertEquals(
                Optional.of(Duration.ofSeconds(2)),
                limiter.acquire("2001:db8::/64", T0.plus(Duration.ofDays(1)), LIMITS));
    }
}
