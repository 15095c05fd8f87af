package dev.wirehaven.wireguard.internal.ratelimiter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The sources whose handshake messages the {@link RateLimiter} refused most, with how many: at most
 * {@value #CAPACITY} of them, in parallel arrays. The limiter only sees messages with a valid cookie
 * MAC2 (whitepaper §5.3), so each source here proved that it receives datagrams at its address: it is
 * a real host that keeps handshaking too fast, not a spoofed one.
 *
 * <p>A source is keyed as the limiter keys it: an IPv4 address, or the /64 of an IPv6 address. When
 * the table is full, a new source replaces the entry with the lowest count (the first of equals) and
 * starts at 1: a count is what was refused since its source entered the table, never inherited. A
 * heavy hitter therefore stays, while sources refused once or twice take turns in the low slots.
 *
 * <p>Not thread-safe by itself: the {@link RateLimiter} calls it under its own lock. Counting a
 * source already in the table scans at most 16 entries and allocates nothing; only a source that
 * enters the table allocates its address (for an IPv6 /64, the prefix's first address).
 */
final class RefusedSources {

    static final int CAPACITY = 16;

    private final long[] keys = new long[CAPACITY];
    private final boolean[] ipv6 = new boolean[CAPACITY];
    private final long[] counts = new long[CAPACITY];
    private final InetAddress[] addresses = new InetAddress[CAPACITY];
    private int size;

    /**
     * Counts one refused message of the source with limiter key {@code key}.
     *
     * @param source the message's source address, kept as is for IPv4
     */
    void count(boolean v6, long key, InetAddress source) {
        int lowest = 0;
        for (int i = 0; i < size; i++) {
            if (keys[i] == key && ipv6[i] == v6) {
                counts[i]++;
                return;
            }
            if (counts[i] < counts[lowest]) {
                lowest = i;
            }
        }
        int slot = size < CAPACITY ? size++ : lowest;
        keys[slot] = key;
        ipv6[slot] = v6;
        counts[slot] = 1;
        addresses[slot] = v6 ? prefix64(key) : source;
    }

    /** Refused messages by source, for the device's snapshot. */
    Map<InetAddress, Long> snapshot() {
        Map<InetAddress, Long> out = new HashMap<>();
        for (int i = 0; i < size; i++) {
            out.put(addresses[i], counts[i]);
        }
        return out;
    }

    /** The first address of the IPv6 /64 whose upper 64 bits are {@code key}. */
    private static InetAddress prefix64(long key) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (key >>> (56 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes are always an address
        }
    }

    @Override
    public String toString() {
        return "RefusedSources" + Arrays.toString(Arrays.copyOf(counts, size));
    }
}
