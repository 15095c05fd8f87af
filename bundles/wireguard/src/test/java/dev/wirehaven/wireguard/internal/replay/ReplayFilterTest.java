package dev.wirehaven.wireguard.internal.replay;

import static dev.wirehaven.wireguard.internal.replay.ReplayFilter.REJECT_AFTER_MESSAGES;
import static dev.wirehaven.wireguard.internal.replay.ReplayFilter.WINDOW_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {

    /** One step of a scenario: feed {@code counter}, expect {@code accepted}. */
    private record Step(int number, long counter, boolean accepted) {}

    private static final long L = WINDOW_SIZE + 1;

    private static void run(String scenario, List<Step> steps) {
        ReplayFilter filter = new ReplayFilter();
        for (Step s : steps) {
            assertEquals(
                    s.accepted(),
                    filter.accept(s.counter()),
                    scenario + " case " + s.number() + ": counter " + Long.toUnsignedString(s.counter()));
        }
    }

    private static List<Step> steps(Object... numberCounterVerdict) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < numberCounterVerdict.length; i += 3) {
            out.add(new Step((Integer) numberCounterVerdict[i], (Long) numberCounterVerdict[i + 1], (Boolean)
                    numberCounterVerdict[i + 2]));
        }
        return out;
    }

    @Test
    void gapsInTheCountersAreTheMissingPacketsUntilLateOnesFillThem() {
        ReplayFilter f = new ReplayFilter();
        for (long c : new long[] {0, 1, 2, 5, 6}) {
            assertTrue(f.accept(c));
        }
        assertEquals(2, f.missing(), "3 and 4 never came");
        assertTrue(f.accept(4));
        assertEquals(1, f.missing(), "4 came late");
        assertFalse(f.accept(4));
        assertEquals(1, f.missing(), "a replay changes nothing");
        assertTrue(f.accept(10));
        assertEquals(4, f.missing(), "3, 7, 8 and 9");
    }

    @Test
    void countersBeforeTheFirstReceivedAreMissingAndAResetForgetsThem() {
        ReplayFilter f = new ReplayFilter();
        assertTrue(f.accept(3));
        assertEquals(3, f.missing(), "0, 1 and 2 of a keypair whose first packets were lost");
        assertTrue(f.accept(3 + ReplayFilter.WINDOW_SIZE + 100));
        assertFalse(f.accept(1), "too late: the window moved past it");
        assertEquals(3 + ReplayFilter.WINDOW_SIZE + 99, f.missing());
        f.reset();
        assertEquals(0, f.missing());
        assertTrue(f.accept(0));
        assertEquals(0, f.missing());
    }

    @Test
    void windowIsTheRingLessOneBlock() {
        assertEquals(8192 - 64, WINDOW_SIZE);
        assertEquals("18446744073709543423", Long.toUnsignedString(REJECT_AFTER_MESSAGES));
    }

    @Test
    void inOrderDuplicatesAndOutOfOrderWithinTheWindow() {
        run(
                "basic",
                steps(
                        1, 0L, true, // first packet of a keypair
                        2, 1L, true, // in order
                        3, 1L, false, // duplicate
                        4, 9L, true, // skip ahead
                        5, 8L, true, // late but inside the window
                        6, 7L, true, 7, 7L, false, // duplicate of a late one
                        8, L, true, // newest = window + 1: counter 0 is now just outside
                        9, L - 1, true, 10, L - 1, false, 11, L - 2, true, 12, 2L,
                        true, // WINDOW_SIZE - 1 behind: still remembered
                        13, 2L, false, 14, L + 16, true, 15, 3L, false, // WINDOW_SIZE + 14 behind: too old
                        16, L + 16, false));
    }

    @Test
    void largeJumpsForgetEverythingBehindTheWindow() {
        run(
                "jumps",
                steps(
                        1,
                        0L,
                        true,
                        2,
                        10L,
                        true,
                        3,
                        L * 4,
                        true, // jump of many ring lengths
                        4,
                        L * 4 - (L - 1),
                        true, // exactly WINDOW_SIZE behind
                        5,
                        10L,
                        false, // far behind
                        6,
                        L * 4 - L,
                        false, // WINDOW_SIZE + 1 behind
                        7,
                        L * 4 - (L + 1),
                        false, // WINDOW_SIZE + 2 behind
                        8,
                        L * 4 - (L - 2),
                        true, // WINDOW_SIZE - 1 behind
                        9,
                        L * 4 + 1 - L,
                        false, // exactly WINDOW_SIZE behind, but seen as case 4
                        10,
                        0L,
                        false));
    }

    @Test
    void countersAtTheRejectLimitAreRefused() {
        run(
                "limit",
                steps(
                        1,
                        0L,
                        true,
                        2,
                        REJECT_AFTER_MESSAGES,
                        false,
                        3,
                        REJECT_AFTER_MESSAGES - 1,
                        true,
                        4,
                        REJECT_AFTER_MESSAGES,
                        false,
                        5,
                        REJECT_AFTER_MESSAGES - 1,
                        false,
                        6,
                        REJECT_AFTER_MESSAGES - 2,
                        true,
                        7,
                        REJECT_AFTER_MESSAGES + 1,
                        false,
                        8,
                        REJECT_AFTER_MESSAGES + 2,
                        false,
                        9,
                        -1L,
                        false, // 2^64 − 1, the largest unsigned value
                        10,
                        REJECT_AFTER_MESSAGES - 2,
                        false,
                        11,
                        REJECT_AFTER_MESSAGES - 3,
                        true,
                        12,
                        0L,
                        false));
    }

    @Test
    void aFullWindowInOrderThenZeroStillFits() {
        ReplayFilter f = new ReplayFilter();
        for (long i = 1; i <= WINDOW_SIZE; i++) {
            assertTrue(f.accept(i), "counter " + i);
        }
        assertTrue(f.accept(0), "0 is exactly WINDOW_SIZE behind");
        assertFalse(f.accept(0), "0 again");
    }

    @Test
    void oneMoreThanAFullWindowPushesZeroOut() {
        ReplayFilter f = new ReplayFilter();
        for (long i = 2; i <= WINDOW_SIZE + 1; i++) {
            assertTrue(f.accept(i), "counter " + i);
        }
        assertTrue(f.accept(1), "1 is exactly WINDOW_SIZE behind");
        assertFalse(f.accept(0), "0 is one past the window");
    }

    @Test
    void aFullWindowInReverseOrderIsAllAccepted() {
        ReplayFilter f = new ReplayFilter();
        for (long i = WINDOW_SIZE; i >= 0; i--) {
            assertTrue(f.accept(i), "counter " + i);
        }
        for (long i = 0; i <= WINDOW_SIZE; i++) {
            assertFalse(f.accept(i), "replay of " + i);
        }
    }

    @Test
    void reverseOrderFromOnePastTheWindowEndsOutsideIt() {
        ReplayFilter f = new ReplayFilter();
        for (long i = WINDOW_SIZE + 1; i >= 1; i--) {
            assertTrue(f.accept(i), "counter " + i);
        }
        assertFalse(f.accept(0));
    }

    @Test
    void theRingWrapsManyTimesWithoutLosingTheWindow() {
        // counters move forward in strides of 100 with every 7th stride also bringing one 3050 late (never
        // a stride counter): the late ones must be accepted once, and a replay of any counter refused,
        // across ~60 turns of the ring
        ReplayFilter f = new ReplayFilter();
        int step = 0;
        for (long c = 5000; c < 500_000; c += 100) {
            step++;
            assertTrue(f.accept(c), "step " + step + " counter " + c);
            assertFalse(f.accept(c), "step " + step + " replay " + c);
            if (step % 7 == 0) {
                assertTrue(f.accept(c - 3050), "step " + step + " late " + (c - 3050));
                assertFalse(f.accept(c - 3050), "step " + step + " late replay " + (c - 3050));
            }
            assertFalse(f.accept(c - WINDOW_SIZE - 1), "step " + step + " too old " + (c - WINDOW_SIZE - 1));
        }
    }

    @Test
    void aJumpOfExactlyOneRingClearsTheStaleBitsOfTheSameSlot() {
        ReplayFilter f = new ReplayFilter();
        for (long c = 0; c < 64; c++) {
            assertTrue(f.accept(c), "block 0, counter " + c);
        }
        // block 128 lives in the same slot as block 0; its bits must not look like replays
        for (long c = 8192; c < 8192 + 64; c++) {
            assertTrue(f.accept(c), "block 128, counter " + c);
        }
        for (long c = 0; c < 64; c++) {
            assertFalse(f.accept(c), "block 0 is now behind the window, counter " + c);
        }
    }

    @Test
    void movingForwardOneBlockAtATimeKeepsTheOlderBlocks() {
        ReplayFilter f = new ReplayFilter();
        for (long c = 0; c < 3 * 8192; c += 64) {
            assertTrue(f.accept(c), "block start " + c);
            if (c >= WINDOW_SIZE) {
                assertFalse(f.accept(c - WINDOW_SIZE), "oldest remembered, already seen: " + (c - WINDOW_SIZE));
                assertTrue(f.accept(c - WINDOW_SIZE + 1), "oldest block, unseen counter " + (c - WINDOW_SIZE + 1));
            }
        }
    }

    @Test
    void resetForgetsEverything() {
        ReplayFilter f = new ReplayFilter();
        assertTrue(f.accept(0));
        assertTrue(f.accept(100_000));
        f.reset();
        assertTrue(f.accept(0));
        assertTrue(f.accept(1));
        assertFalse(f.accept(1));
    }

    @Test
    void aLowerLimitFromTheConstructorIsEnforced() {
        ReplayFilter f = new ReplayFilter(10);
        assertTrue(f.accept(9));
        assertFalse(f.accept(10));
        assertFalse(f.accept(-5), "negative as signed, huge as unsigned");
    }

    @Test
    void aKeypairThatHasReceivedNothingHoldsNoWindowYet() {
        ReplayFilter f = new ReplayFilter();
        long empty = org.openjdk.jol.info.GraphLayout.parseInstance(f).totalSize();

        f.accept(0);

        long used = org.openjdk.jol.info.GraphLayout.parseInstance(f).totalSize();
        assertTrue(empty < 100, "a fresh filter holds " + empty + " bytes");
        assertTrue(used - empty >= ReplayFilter.RING_BLOCKS * Long.BYTES, "the first counter allocates the ring");
    }
}
