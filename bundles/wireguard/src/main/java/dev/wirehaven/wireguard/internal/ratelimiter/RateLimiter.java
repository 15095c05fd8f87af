package dev.wirehaven.wireguard.internal.ratelimiter;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Limits handshake initiations per source address with a token bucket, as the kernel and wireguard-go
 * do when under load (whitepaper §5.3): {@value #PACKETS_PER_SECOND} packets per second with bursts of
 * {@value #PACKETS_BURSTABLE}. An IPv6 source is keyed by its /64, since one host usually owns a whole
 * /64 and could otherwise rotate addresses to dodge the limit.
 *
 * <p>Tokens are counted in nanoseconds of the injected clock: a packet costs 1 s / 20 = 50 ms and the
 * bucket holds five packets' worth. A source idle for longer than {@value #IDLE_NANOS} ns would have
 * a full bucket again anyway, so its entry is dropped: entries are swept at most once a second from
 * within {@link #allow}, which keeps this class free of threads of its own.
 *
 * <p>The table is bounded: when it is full, a new source is refused (as the kernel does) until the next
 * sweep frees entries, rather than letting a flood of spoofed addresses grow memory or buy a full scan
 * of the table per packet.
 *
 * <p>Thread-safe: handshake workers may call {@link #allow} concurrently; it takes the instance lock,
 * which is cheap next to the Curve25519 work that each allowed initiation triggers.
 */
public final class RateLimiter {

    static final int PACKETS_PER_SECOND = 20;
    static final int PACKETS_BURSTABLE = 5;
    static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    static final long MAX_TOKENS = PACKET_COST * PACKETS_BURSTABLE;
    static final long IDLE_NANOS = 1_000_000_000L;

    /** Default bound on tracked sources. */
    public static final int DEFAULT_MAX_ENTRIES = 4096;

    private static final class Bucket {
        long tokens;
        long lastNanos;
    }

    private final Clock clock;
    private final int maxEntries;
    private final Map<Long, Bucket> ipv4 = new HashMap<>();
    private final Map<Long, Bucket> ipv6 = new HashMap<>();
    private long lastSweepNanos;

    public RateLimiter(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    public RateLimiter(Clock clock, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.lastSweepNanos = clock.nanoTime();
    }

    /** Whether one more initiation from {@code source} may be processed now; counts it if so. */
    public synchronized boolean allow(InetAddress source) {
        long now = clock.nanoTime();
        if (now - lastSweepNanos >= IDLE_NANOS) {
            sweep(now);
        }
        byte[] a = source.getAddress();
        Map<Long, Bucket> table = source instanceof Inet4Address ? ipv4 : ipv6;
        Long key = prefixKey(a);
        Bucket b = table.get(key);
        if (b == null) {
            if (size() >= maxEntries) {
                return false;
            }
            b = new Bucket();
            b.tokens = MAX_TOKENS - PACKET_COST;
            b.lastNanos = now;
            table.put(key, b);
            return true;
        }
        b.tokens = Math.min(MAX_TOKENS, b.tokens + (now - b.lastNanos));
        b.lastNanos = now;
        // >= (the kernel's test) rather than wireguard-go's >, so that a full bucket really passes five
        if (b.tokens >= PACKET_COST) {
            b.tokens -= PACKET_COST;
            return true;
        }
        return false;
    }

    /** Number of sources currently tracked. */
    public synchronized int size() {
        return ipv4.size() + ipv6.size();
    }

    /** The IPv4 address, or the first 64 bits of an IPv6 address, as a number. */
    private static Long prefixKey(byte[] a) {
        long k = 0;
        for (int i = 0, n = Math.min(a.length, 8); i < n; i++) {
            k = (k << 8) | (a[i] & 0xff);
        }
        return k;
    }

    private void sweep(long now) {
        lastSweepNanos = now;
        sweep(ipv4, now);
        sweep(ipv6, now);
    }

    private static void sweep(Map<Long, Bucket> table, long now) {
        for (Iterator<Bucket> it = table.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastNanos > IDLE_NANOS) {
                it.remove();
            }
        }
    }
}
