package dev.wirehaven.sessions.internal.cluster;

import java.time.Duration;

/**
 * No wake-ups: the feed reads the log at its poll interval. The embedded store is opened by one
 * server only, so there the log has no other writer and the poll finds nothing.
 */
final class PollingWakeups implements ChangeWakeups {

    @Override
    public void await(Duration atMost) throws InterruptedException {
        Thread.sleep(atMost.toMillis());
    }

    @Override
    public void close() {}
}
