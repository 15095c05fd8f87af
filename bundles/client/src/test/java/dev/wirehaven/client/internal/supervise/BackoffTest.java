package dev.wirehaven.client.internal.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7));

    @Test
    void theCeilingDoublesFromTheBaseUntilTheCap() {
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (int attempt = 0; attempt < expected.length; attempt++) {
            assertEquals(Duration.ofSeconds(expected[attempt]), backoff.ceiling(attempt), "attempt " + attempt);
        }
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(10_000), "no overflow after many attempts");
    }

    @Test
    void everyDelayLiesBetweenZeroAndTheCeiling() {
        for (int attempt = 0; attempt < 12; attempt++) {
            for (int i = 0; i < 500; i++) {
                Duration d = backoff.delay(attempt);
                assertTrue(!d.isNegative() && d.compareTo(backoff.ceiling(attempt)) <= 0, attempt + ": " + d);
            }
        }
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeWindow() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = backoff.delay(8).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(min < 6_000, "some retries come early: " + min);
        assertTrue(max > 54_000, "some come late: " + max);
    }

    @Test
    void aBaseAboveTheCapIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
    }
}
