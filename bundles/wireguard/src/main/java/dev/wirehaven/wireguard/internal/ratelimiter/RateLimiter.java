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
 * <p>The table is bounded by {@link #MAX_TRACKED_SOURCES}. When it is full, a source that has no entry
 * is refused, as if over its limit (the caller drops its message and counts it under
 * {@code RATE_LIMITED}), until the next sweep frees entries; sources already tracked keep their buckets.
 * This is what the kernel's ratelimiter does when its entry count reaches its maximum. The other choice,
 * evicting the oldest entry, was not taken: a flood of new sources would then churn the table and hand
 * every returning flooder a fresh burst of five, and the eviction would cost a scan or an ordered
 * structure per packet; refusing costs nothing and hurts only sources that are new while the flood
 * lasts.
 *
 * <p>Every refusal is also counted per source in a table of the {@value RefusedSources#CAPACITY}
 * sources refused most ({@link #refusedSources}), for operators: see {@link RefusedSources}.
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

    /**
     * The most sources tracked at once. The table only matters under load (whitepaper §5.3: the limit
     * applies after a valid cookie MAC2), so an entry stands for a source that proved it receives
     * datagrams at its address, and entries leave within two seconds of their last message. Honest
     * sources: a server whose N peers all reconnect within REKEY_TIMEOUT (5 s, a restart) presents
     * about N/5 new sources a second, so 65,536 entries hold a reconnect storm of some 160,000 peers.
     * Attackers: filling the table takes 65,536 reachable IPv4 addresses or IPv6 /64s within a second or
     * two. Memory: about 90 bytes an entry here (map node, boxed key, bucket, slot), at most some 6 MB; the
     * map grows only as sources arrive. The kernel allows the same number on hosts with more than
     * 1 GiB of memory (8 entries per bucket of its 8192-bucket table, less on smaller hosts);
     * wireguard-go does not bound its table. The sweep walks the table once a second, about a
     * millisecond when full.
     */
    public static final int MAX_TRACKED_SOURCES = 65_536;

    private static final class Bucket {
        long tokens;
        long lastNanos;
    }

    private final Clock clock;
    private final int maxEntries;
    private final Map<Long, Bucket> ipv4 = new HashMap<>();
    private final Map<Long, Bucket> ipv6 = new HashMap<>();
    private final RefusedSources refused = new RefusedSources();
    private long lastSweepNanos;

    public RateLimiter(Clock clock) {
        this(clock, MAX_TRACKED_SOURCES);
    }

    /** A limiter that tracks at most {@code maxEntries} sources; for tests, with a small table. */
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
        boolean v6 = !(source instanceof Inet4Address);
        Map<Long, Bucket> table = v6 ? ipv6 : ipv4;
        Long key = prefixKey(a);
        Bucket b = table.get(key);
        if (b == null) {
            if (size() >= maxEntries) {
                refused.count(v6, key, source);
                return false; // full: a new source is over the limit until a sweep frees room
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
        refused.count(v6, key, source);
        return false;
    }

    /**
     * Refused messages by source: an IPv4 address, or an IPv6 /64 as its first address; at most
     * {@value RefusedSources#CAPACITY} sources, each counted since it entered that table (when full, a
     * new source replaces the one with the lowest count).
     */
    public synchronized Map<InetAddress, Long> refusedSources() {
        return refused.snapshot();
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
