package dev.wirehaven.wireguard.internal.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;

/**
 * Waits for something that other threads do. The limit only bounds a broken test; no assertion is
 * about how long anything took.
 */
public final class Await {

    private static final long LIMIT_NANOS = 20_000_000_000L;

    private Await() {}

    public static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("gave up waiting until " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting until " + what);
            }
        }
    }

    /** Lets in-flight work settle: waits until {@code value} stays the same for a while. */
    public static void quiet(java.util.function.LongSupplier value) {
        long last = value.getAsLong();
        int stable = 0;
        while (stable < 25) {
            try {
                Thread.sleep(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = value.getAsLong();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }
}
