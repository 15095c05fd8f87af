package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static dev.wirehaven.sessions.internal.session.FlowFixture.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection requests, which anyone may send before logging in and each of which writes store rows,
 * are limited per source (an IPv4 address, an IPv6 /64) by rate and by the sessions that still wait
 * for authentication, and in all by the waiting sessions; time moves only on the fixture's clock.
 */
class ConnectionRequestLimitTest {

    private FlowFixture fx;

    @AfterEach
    void close() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aFloodFromOneSlash64IsLimitedAndAnotherSourceStillGetsIn() throws Exception {
        fx = new FlowFixture(Map.of("request.rate", "60", "request.burst", "5"));
        // the flood takes a new address of its /64 for every request, which must not buy it a new bucket
        for (int i = 1; i <= 5; i++) {
            fx.requestFrom(address("2001:db8:1:2::" + i));
        }

        FlowException limited = refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(address("2001:db8:1:2::ff")));
        assertEquals(Duration.ofSeconds(1), limited.retryAfter(), "60 a minute earn one back every second");
        assertTrue(limited.getMessage().contains("2001:db8:1:2::/64"), limited.getMessage());
        for (int i = 0; i < 100; i++) {
            InetAddress next = address("2001:db8:1:2:" + Integer.toHexString(i) + "::1");
            refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(next));
        }
        assertEquals(5, openSessions(), "a refused request writes nothing");

        fx.requestFrom(address("2001:db8:1:3::1"));
        fx.requestFrom(address("198.51.100.8"));
        assertEquals(7, openSessions(), "other sources still get in");

        fx.clock.advance(Duration.ofSeconds(1));
        fx.requestFrom(address("2001:db8:1:2::6"));
        refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(address("2001:db8:1:2::7")));
    }

    @Test
    void ipv4SourcesAreLimitedPerAddress() throws Exception {
        fx = new FlowFixture(Map.of("request.rate", "6", "request.burst", "2"));
        fx.requestFrom(address("198.51.100.8"));
        fx.requestFrom(address("198.51.100.8"));

        FlowException limited = refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(address("198.51.100.8")));

        assertEquals(Duration.ofSeconds(10), limited.retryAfter());
        fx.requestFrom(address("198.51.100.9"));
    }

    @Test
    void sessionsWaitingForAuthenticationAreCappedPerSourceWith429AndInAllWith503() throws Exception {
        fx = new FlowFixture(Map.of("pending.max.source", "3", "pending.max", "5"));
        InetAddress office = address("198.51.100.20");
        String first = fx.requestFrom(office).sessionId();
        fx.requestFrom(office);
        fx.requestFrom(address("198.51.100.20"));
        fx.clock.advance(Duration.ofSeconds(30));

        FlowException perSource = refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(office));
        assertEquals(Duration.ofSeconds(90), perSource.retryAfter(), "until the first of its challenges lapses");
        fx.requestFrom(address("198.51.100.21"));
        fx.requestFrom(address("2001:db8::1"));
        FlowException full = refused(FlowFailure.BUSY, () -> fx.requestFrom(address("203.0.113.9")));
        assertEquals(Duration.ofSeconds(90), full.retryAfter());
        assertEquals(5, openSessions());

        // an answered challenge frees its place ...
        fx.authenticate(first, "alice", "correct horse");
        fx.requestFrom(office);
        refused(FlowFailure.RATE_LIMITED, () -> fx.requestFrom(office));

        // ... and so does a lapsed one, even before the reaper has closed it
        fx.clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            fx.requestFrom(office);
        }
    }

    private int openSessions() {
        return new SessionRepository(fx.db.dataSource()).open().size();
    }
}
