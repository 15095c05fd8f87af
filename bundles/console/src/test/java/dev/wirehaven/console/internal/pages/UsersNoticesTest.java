package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.console.internal.pages.UsersNotices.Notice;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsersNoticesTest {

    /** A clock that the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
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
            return this;
        }
    }

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final UsersNotices notices = new UsersNotices(new SecureRandom(), clock);

    @Test
    void aNoticeIsShownOnce_underAnUnguessableId() {
        String id = notices.put(Notice.done("User alice enabled."));
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertNotEquals(id, notices.put(Notice.done("User alice enabled.")));
        assertEquals(id, notices.outcomes().get(id));

        assertEquals(Optional.of(Notice.done("User alice enabled.")), notices.take(id));
        assertEquals(Optional.empty(), notices.take(id));
        assertEquals(null, notices.outcomes().get(id));
    }

    @Test
    void noticesExpire_andAtMostCapacityAreKept() {
        String first = notices.put(Notice.done("first"));
        for (int i = 1; i < UsersNotices.CAPACITY; i++) {
            notices.put(Notice.done("n" + i));
        }
        assertTrue(notices.outcomes().containsKey(first));
        notices.put(Notice.done("one more"));
        Map<String, String> kept = notices.outcomes();
        assertEquals(UsersNotices.CAPACITY, kept.size());
        assertTrue(!kept.containsKey(first), "the oldest made room");

        clock.advance(UsersNotices.LIFETIME.minus(Duration.ofSeconds(1)));
        assertEquals(UsersNotices.CAPACITY, notices.outcomes().size());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(notices.outcomes().isEmpty());
    }
}
