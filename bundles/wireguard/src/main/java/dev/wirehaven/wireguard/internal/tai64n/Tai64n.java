package dev.wirehaven.wireguard.internal.tai64n;

import dev.wirehaven.wireguard.internal.time.Clock;

/**
 * The 12-byte TAI64N timestamp that an initiator encrypts into its handshake initiation (whitepaper
 * §5.4.2), so that a responder can refuse a replayed initiation: it only accepts one whose timestamp
 * is after the greatest it has seen from that peer.
 *
 * <p>Layout: 8 bytes of seconds, big-endian, then 4 bytes of nanoseconds, big-endian. The seconds are
 * the TAI64 label of the Unix time, {@value #BASE_HEX} + Unix seconds: 2^62 marks the label as a
 * time after 1970, and the 10 is the TAI−UTC offset of 1970 that the TAI64 format counts in; stock
 * WireGuard (wireguard-go, the kernel) writes the same label, so our timestamps compare with theirs.
 *
 * <p>The nanoseconds are rounded down to a multiple of 2^24 ns (about 16.8 ms), as wireguard-go and the
 * kernel do: a precise clock reading inside an encrypted but observable message would leak timing
 * detail about the host (the whitepaper's advice), and a grain of ~16 ms still lets a peer start
 * more than the 50 initiations per second the protocol ever sends.
 */
public final class Tai64n {

    /** Length of a timestamp in bytes. */
    public static final int SIZE = 12;

    static final String BASE_HEX = "0x400000000000000a";

    /** The TAI64 label of the Unix epoch: 2^62 + 10. */
    static final long BASE = (1L << 62) + 10;

    /** Low bits of the nanoseconds that are cleared. */
    static final int WHITENER_MASK = (1 << 24) - 1;

    private Tai64n() {}

    /** Writes the current time of {@code clock} as a whitened TAI64N timestamp to {@code out[off..off+12)}. */
    public static void write(Clock clock, byte[] out, int off) {
        long epochNanos = clock.epochNanos();
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L) & ~WHITENER_MASK;
        putLong(out, off, BASE + seconds);
        putInt(out, off + 8, nanos);
    }

    /**
     * Whether timestamp {@code a} is strictly later than {@code b}, both 12 bytes from offset 0, compared
     * as unsigned big-endian numbers (the order of TAI64N labels). Not constant-time: timestamps are
     * not secret once decrypted.
     */
    public static boolean isAfter(byte[] a, byte[] b) {
        for (int i = 0; i < SIZE; i++) {
            int x = a[i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x > y;
            }
        }
        return false;
    }

    private static void putLong(byte[] out, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            out[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] out, int off, int v) {
        for (int i = 3; i >= 0; i--) {
            out[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
