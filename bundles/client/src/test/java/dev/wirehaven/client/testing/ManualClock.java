package dev.wirehaven.client.testing;

import dev.wirehaven.client.internal.session.Pause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A clock that only moves when told, with a {@link Pause} that moves it instead of waiting: a schedule
 * of waits (an approval's interval) runs at once, and the test reads which waits were asked for.
 */
public final class ManualClock extends Clock {

    private volatile Instant now;
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());

    public ManualClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        synchronized (this) {
            now = now.plus(d);
        }
    }

    /** Moves the clock by each wait asked for, and records it. */
    public Pause pause() {
        return d -> {
            pauses.add(d);
            advance(d);
        };
    }

    /** The waits asked for so far. */
    public List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
