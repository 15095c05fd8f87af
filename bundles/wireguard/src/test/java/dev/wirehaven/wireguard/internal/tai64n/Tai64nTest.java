package dev.wirehaven.wireguard.internal.tai64n;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Tai64nTest {

    private static Clock at(long epochNanos) {
        return new Clock() {
            @Override
            public long nanoTime() {
                throw new AssertionError("timestamps come from wall time");
            }

            @Override
            public long epochNanos() {
                return epochNanos;
            }
        };
    }

    private static byte[] stamp(long epochNanos) {
        byte[] out = new byte[Tai64n.SIZE];
        Tai64n.write(at(epochNanos), out, 0);
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theUnixEpochIsTheTai64LabelWithTheTenSecondOffset() {
        assertEquals(Long.parseUnsignedLong(Tai64n.BASE_HEX.substring(2), 16), Tai64n.BASE);
        assertEquals("400000000000000a" + "00000000", hex(stamp(0)));
    }

    @Test
    void secondsAndNanosecondsAreBigEndian() {
        // 2024-01-01T00:00:00Z = 1704067200 s = 0x65920080, + 10 = 0x6592008a;
        // 0x12345678 ns rounds down to 0x12000000
        long nanos = 1_704_067_200L * 1_000_000_000L + 0x12345678;
        assertEquals("400000006592008a" + "12000000", hex(stamp(nanos)));
    }

    @Test
    void nanosecondsAreRoundedDownToMultiplesOf2To24() {
        long second = 1_700_000_000L * 1_000_000_000L;
        assertArrayEquals(stamp(second), stamp(second + (1 << 24) - 1), "same 16.8 ms grain");
        assertTrue(Tai64n.isAfter(stamp(second + (1 << 24)), stamp(second + (1 << 24) - 1)), "next grain");
        byte[] last = stamp(second + 999_999_999);
        assertEquals(999_999_999 & ~((1 << 24) - 1), readInt(last, 8), "last grain of the second");
    }

    @Test
    void writesAtTheGivenOffsetAndNowhereElse() {
        byte[] out = new byte[20];
        java.util.Arrays.fill(out, (byte) 0x5a);
        Tai64n.write(at(0), out, 4);
        assertEquals("5a5a5a5a" + "400000000000000a00000000" + "5a5a5a5a", hex(out));
    }

    @Test
    void timesBeforeTheEpochStillOrderCorrectly() {
        byte[] before = stamp(-1); // 1969-12-31T23:59:59.999999999Z
        assertEquals("4000000000000009" + hex(new byte[] {(byte) 0x3b, (byte) 0x00, 0, 0}), hex(before));
        assertTrue(Tai64n.isAfter(stamp(0), before));
    }

    @Test
    void isAfterIsStrictAndUnsigned() {
        byte[] a = stamp(1_000L * 1_000_000_000L);
        byte[] b = stamp(1_001L * 1_000_000_000L);
        assertTrue(Tai64n.isAfter(b, a));
        assertFalse(Tai64n.isAfter(a, b));
        assertFalse(Tai64n.isAfter(a, a.clone()), "equal is not after");

        byte[] high = new byte[Tai64n.SIZE];
        byte[] low = new byte[Tai64n.SIZE];
        high[11] = (byte) 0x80; // would be negative as a signed byte
        low[11] = 0x7f;
        assertTrue(Tai64n.isAfter(high, low));
        high[11] = 0;
        high[0] = (byte) 0xff;
        low[0] = 0x7f;
        low[11] = (byte) 0xff;
        assertTrue(Tai64n.isAfter(high, low), "the most significant byte decides");
    }

    @Test
    void laterClockReadingsNeverGoBackwards() {
        long t = 1_650_000_000L * 1_000_000_000L;
        byte[] previous = stamp(t);
        for (int i = 0; i < 10_000; i++) {
            t += 3_333_337L;
            byte[] next = stamp(t);
            assertFalse(Tai64n.isAfter(previous, next), "at " + t);
            previous = next;
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
