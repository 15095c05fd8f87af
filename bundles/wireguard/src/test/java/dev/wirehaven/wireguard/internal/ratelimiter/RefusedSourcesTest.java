package dev.wirehaven.wireguard.internal.ratelimiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table of the sources that the rate limiter refused most, through {@link RateLimiter}. */
class RefusedSourcesTest {

    /** A clock that stands still: no bucket refills, so every message past the burst is refused. */
    private static final Clock STILL = new Clock() {
        @Override
        public long nanoTime() {
            return 42_000_000_000L;
        }

        @Override
        public long epochNanos() {
            throw new AssertionError("rate limiting uses monotonic time");
        }
    };

    private final RateLimiter limiter = new RateLimiter(STILL);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends {@code n} messages past the burst of five, all refused. */
    private void refuse(InetAddress source, int n) {
        int refused = 0;
        for (int i = 0; i < n + RateLimiter.PACKETS_BURSTABLE; i++) {
            if (!limiter.allow(source)) {
                refused++;
            }
        }
        assertEquals(n, refused);
    }

    @Test
    void messagesWithinTheBurstAreNotCounted() {
        refuse(ip("192.0.2.1"), 0);
        assertEquals(Map.of(), limiter.refusedSources());
    }

    @Test
    void eachSourceCountsItsRefusedMessages() {
        refuse(ip("192.0.2.1"), 7);
        refuse(ip("192.0.2.2"), 1);
        assertEquals(Map.of(ip("192.0.2.1"), 7L, ip("192.0.2.2"), 1L), limiter.refusedSources());
    }

    @Test
    void anIpv6SourceIsCountedUnderItsSlash64AsTheLimiterKeysIt() {
        refuse(ip("2001:db8:1:2::1"), 3);
        limiter.allow(ip("2001:db8:1:2::99")); // the same /64: the same bucket, already empty
        assertEquals(Map.of(ip("2001:db8:1:2::"), 4L), limiter.refusedSources());
    }

    @Test
    void anIpv4AndAnIpv6SourceWithTheSameKeyBitsStayApart() {
        refuse(ip("0.0.0.1"), 2); // key 1
        refuse(ip("0:0:0:1::"), 3); // its upper 64 bits are 1 as well
        assertEquals(Map.of(ip("0.0.0.1"), 2L, ip("0:0:0:1::"), 3L), limiter.refusedSources());
    }

    @Test
    void whenFullANewSourceReplacesTheOneWithTheLowestCountAndStartsAtOne() {
        Map<InetAddress, Long> expected = new HashMap<>();
        for (int i = 0; i < RefusedSources.CAPACITY; i++) {
            InetAddress source = ip("198.51.100." + (i + 1));
            long n = i == 9 ? 2 : 10 + i; // .10 has the lowest count
            refuse(source, (int) n);
            expected.put(source, n);
        }
        assertEquals(expected, limiter.refusedSources());

        refuse(ip("203.0.113.1"), 1);
        expected.remove(ip("198.51.100.10"));
        expected.put(ip("203.0.113.1"), 1L);
        assertEquals(expected, limiter.refusedSources());

        // the newcomer now has the lowest count: the next new source takes its place, not a heavy hitter's
        refuse(ip("203.0.113.2"), 1);
        expected.remove(ip("203.0.113.1"));
        expected.put(ip("203.0.113.2"), 1L);
        assertEquals(expected, limiter.refusedSources());
    }

    @Test
    void aFullLimiterTableCountsTheNewSourcesItRefuses() {
        RateLimiter small = new RateLimiter(STILL, 1);
        assertTrue(small.allow(ip("192.0.2.1")));
        small.allow(ip("192.0.2.2")); // refused: the limiter tracks one source
        assertEquals(Map.of(ip("192.0.2.2"), 1L), small.refusedSources());
    }

    @Test
    void countingASourceInTheTableAllocatesNothing() {
        RefusedSources table = new RefusedSources();
        InetAddress source = ip("192.0.2.1");
        for (int i = 0; i < RefusedSources.CAPACITY; i++) {
            table.count(false, i, source);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // warm up, so the measured loop runs compiled code
            table.count(false, i & 15, source);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            table.count(false, i & 15, source);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 1024, allocated + " bytes for 100,000 counts");
    }
}
