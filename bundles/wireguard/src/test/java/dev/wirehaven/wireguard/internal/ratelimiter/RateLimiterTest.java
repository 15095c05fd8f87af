package dev.wirehaven.wireguard.internal.ratelimiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock that moves only when told to. */
    private static final class ManualClock implements Clock {
        long now = 123_456_789_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long epochNanos() {
            throw new AssertionError("rate limiting uses monotonic time");
        }

        void advanceMillis(long ms) {
            now += ms * 1_000_000L;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private int burst(InetAddress source, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.allow(source)) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void aNewSourceGetsABurstOfFive() {
        assertEquals(5, burst(ip("192.0.2.1"), 20));
    }

    @Test
    void tokensComeBackAtTwentyPerSecond() {
        InetAddress src = ip("192.0.2.1");
        assertEquals(5, burst(src, 5));
        clock.advanceMillis(49);
        assertFalse(limiter.allow(src), "49 ms buys less than one packet");
        clock.advanceMillis(1);
        assertTrue(limiter.allow(src), "50 ms buys one");
        assertFalse(limiter.allow(src));
        // a steady 20/s stream is never refused
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(50);
            assertTrue(limiter.allow(src), "packet " + i + " of a 20/s stream");
        }
        // a 25/s stream is refused about one time in five once the bucket is empty
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(40);
            allowed += limiter.allow(src) ? 1 : 0;
        }
        assertEquals(80, allowed);
    }

    @Test
    void theBucketNeverHoldsMoreThanFive() {
        InetAddress src = ip("192.0.2.1");
        assertTrue(limiter.allow(src));
        clock.advanceMillis(900);
        assertEquals(5, burst(src, 20));
    }

    @Test
    void sourcesAreLimitedIndependently() {
        assertEquals(5, burst(ip("192.0.2.1"), 10));
        assertEquals(5, burst(ip("192.0.2.2"), 10));
        assertEquals(5, burst(ip("2001:db8::1"), 10));
    }

    @Test
    void ipv6SourcesShareTheBucketOfTheirSlash64() {
        assertEquals(3, burst(ip("2001:db8:1:2::1"), 3));
        assertEquals(2, burst(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), 10), "same /64");
        assertEquals(5, burst(ip("2001:db8:1:3::1"), 10), "next /64");
    }

    @Test
    void ipv4AndIpv6KeysNeverCollide() {
        // 192.0.2.1 as a number equals the top 64 bits of 0:0:c000:201::1
        assertEquals(5, burst(ip("0:0:c000:201::1"), 10));
        assertEquals(5, burst(ip("192.0.2.1"), 10));
    }

    @Test
    void idleSourcesAreForgottenAfterASecond() {
        limiter.allow(ip("192.0.2.1"));
        limiter.allow(ip("2001:db8::1"));
        assertEquals(2, limiter.size());
        clock.advanceMillis(500);
        limiter.allow(ip("192.0.2.2"));
        assertEquals(3, limiter.size(), "no sweep within the first second");
        clock.advanceMillis(600);
        limiter.allow(ip("192.0.2.3"));
        assertEquals(2, limiter.size(), "the two idle for 1.1 s are gone; .2 (0.6 s) and .3 stay");
    }

    @Test
    void aFullTableRefusesNewSourcesButServesKnownOnes() {
        RateLimiter small = new RateLimiter(clock, 3);
        assertTrue(small.allow(ip("192.0.2.1")));
        assertTrue(small.allow(ip("192.0.2.2")));
        assertTrue(small.allow(ip("192.0.2.3")));
        assertFalse(small.allow(ip("192.0.2.4")), "table full");
        assertTrue(small.allow(ip("192.0.2.1")), "known source still has tokens");
        assertEquals(3, small.size());
        clock.advanceMillis(1001);
        assertTrue(small.allow(ip("192.0.2.4")), "the sweep freed room");
        assertEquals(1, small.size());
    }

    /** The i-th address of a flood: distinct IPv4 addresses from 10.0.0.0/8 up. */
    private static InetAddress floodV4(int i) {
        return ip("10." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff));
    }

    /** The i-th address of an IPv6 flood, each in a /64 of its own (one bucket each). */
    private static InetAddress floodV6(int i) {
        return ip("2001:db8:" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff) + "::1");
    }

    @Test
    void aFloodOfDistinctSourcesFillsTheTableOnlyToItsBound() {
        int max = RateLimiter.MAX_TRACKED_SOURCES;
        int allowed = 0;
        for (int i = 0; i < max; i++) {
            allowed += limiter.allow(floodV4(i)) ? 1 : 0;
        }
        for (int i = 0; i < 10_000; i++) {
            allowed += limiter.allow(floodV6(i)) ? 1 : 0;
        }
        assertEquals(max, limiter.size(), "IPv4 and IPv6 sources share one bound");
        assertEquals(max, allowed, "every source beyond the bound was refused its first message");
    }

    @Test
    void aTrackedSourceKeepsItsBudgetThroughAFloodWhileNewSourcesWaitForItToEnd() {
        InetAddress honest = ip("192.0.2.1");
        InetAddress latecomer = ip("192.0.2.2");
        assertTrue(limiter.allow(honest));
        // the flood fills the table and keeps its entries fresh for three seconds (messages every 500 ms),
        // while the tracked source sends at its 20 per second and a new source tries every 500 ms
        int max = RateLimiter.MAX_TRACKED_SOURCES;
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < max; i++) {
                limiter.allow(floodV4(i));
            }
            assertFalse(limiter.allow(latecomer), "a new source is refused while the table is full, round " + round);
            for (int j = 0; j < 10; j++) {
                clock.advanceMillis(50);
                assertTrue(limiter.allow(honest), "the tracked source, round " + round + " message " + j);
            }
            assertEquals(max, limiter.size());
        }
        // the flood stops: its entries go idle and a sweep (at most once a second, at a call) removes
        // them, while the tracked source goes on sending and stays
        for (int k = 0; k < 5; k++) {
            clock.advanceMillis(500);
            assertTrue(limiter.allow(honest));
        }
        assertTrue(limiter.allow(latecomer), "room again: the new source gets in");
        assertEquals(2, limiter.size(), "the flood's entries are gone; the two honest sources remain");
        assertEquals(4, burst(latecomer, 10), "and the rest of its burst of five");
    }

    @Test
    void refusesANonPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(clock, 0));
    }
}
