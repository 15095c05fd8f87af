package dev.wirehaven.client.internal.session;

import java.time.Duration;

/**
 * Waiting between two answers of an approval, on the connection's timebase rather than a bare
 * {@code Thread.sleep}, so that tests run an approval's schedule on their own clock.
 */
@FunctionalInterface
public interface Pause {

    /** Waits {@code d}; interruptible, so that closing the connection ends the wait. */
    void sleep(Duration d) throws InterruptedException;
}
