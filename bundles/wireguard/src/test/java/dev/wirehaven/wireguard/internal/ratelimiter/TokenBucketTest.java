package dev.wirehaven.wireguard.internal.ratelimiter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The global token bucket on a controlled clock. */
class TokenBucketTest {

    private final TestClock clock = new TestClock();

    @Test
    void burstThenRefillAtTheRateAndNoMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(clock, 10, 3);
        // 1. a full bucket: the burst, then nothing while the clock stands still
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.take(), "burst " + i);
        }
        assertFalse(bucket.take());
        // 2. one take per 100 ms
        clock.advance(Duration.ofMillis(99));
        assertFalse(bucket.take());
        clock.advance(Duration.ofMillis(1));
        assertTrue(bucket.take());
        assertFalse(bucket.take());
        // 3. a long idle time refills the burst, not more
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.take(), "after idle " + i);
        }
        assertFalse(bucket.take());
    }

    @Test
    void askingWhetherItIsEmptyTakesNothing() {
        TokenBucket bucket = new TokenBucket(clock, 10, 2);
        for (int i = 0; i < 5; i++) {
            assertFalse(bucket.isEmpty());
        }
        assertTrue(bucket.take());
        assertTrue(bucket.take());
        assertTrue(bucket.isEmpty());
        clock.advance(Duration.ofMillis(100));
        assertFalse(bucket.isEmpty());
        assertTrue(bucket.take());
        assertTrue(bucket.isEmpty());
    }
}
