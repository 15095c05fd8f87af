package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final LoginLimits LIMITS =
            new LoginLimits(5, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final LoginThrottle throttle = new LoginThrottle();

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("user:alice", T0, LIMITS);
        }
        assertEquals(Optional.empty(), throttle.recordFailure("user:alice", T0.plus(Duration.ofMinutes(16)), LIMITS));
        assertTrue(throttle.retryAfter("user:alice", T0.plus(Duration.ofMinutes(16)))
                .isEmpty());
    }

    @Test
    void lockoutsDoubleUpToTheLongest() {
        Instant now = T0;
        for (int lockout = 0; lockout < 8; lockout++) {
            Optional<Duration> started = Optional.empty();
            for (int i = 0; i < 5; i++) {
                started = throttle.recordFailure("source:198.51.100.7", now, LIMITS);
            }
            Duration expected = Duration.ofSeconds(30).multipliedBy(1L << lockout);
            assertEquals(
                    expected.compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15) : expected,
                    started.orElseThrow());
            now = now.plus(started.get()).plusSeconds(1);
        }
    }

    @Test
    void pruningForgetsQuietKeysOnly() {
        throttle.recordFailure("user:old", T0, LIMITS);
        throttle.recordFailure("user:new", T0.plus(Duration.ofMinutes(10)), LIMITS);

        throttle.prune(T0.plus(Duration.ofMinutes(20)), LIMITS);

        assertEquals(1, throttle.size());
    }
}
