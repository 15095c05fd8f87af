package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.sessions.internal.session.TrafficTotals.Traffic;
import org.junit.jupiter.api.Test;

class TrafficTotalsTest {

    private final TrafficTotals totals = new TrafficTotals();

    @Test
    void eachSampleAddsWhatEveryPeerCarriedSinceTheLastOne() {
        totals.add("k1", "alice", new Traffic(100, 10, 2, 1), 0);
        totals.add("k2", "bob", new Traffic(50, 5, 1, 1), 0);
        totals.endSample();
        totals.add("k1", "alice", new Traffic(300, 30, 5, 2), 0);
        totals.add("k2", "bob", new Traffic(50, 5, 1, 1), 0);
        totals.endSample();

        assertEquals(new Traffic(350, 35, 6, 3), totals.device());
        assertEquals(new Traffic(300, 30, 5, 2), totals.users().get("alice"));
        assertEquals(new Traffic(50, 5, 1, 1), totals.users().get("bob"));
    }

    @Test
    void aUsersTotalKeepsGrowingAcrossSessionsWhosePeerCountersStartAgain() {
        totals.add("laptop-1", "alice", new Traffic(1_000, 100, 10, 5), 0);
        totals.endSample();
        // the session ended; a new one, with a new key, starts from zero
        totals.endSample();
        totals.add("laptop-2", "alice", new Traffic(200, 20, 2, 1), 0);
        totals.endSample();

        assertEquals(new Traffic(1_200, 120, 12, 6), totals.users().get("alice"));
    }

    @Test
    void aPeerWhoseCountersWentBackIsANewPeerUnderTheSameKey() {
        totals.add("k", null, new Traffic(1_000, 0, 10, 0), 0);
        totals.endSample();
        totals.add("k", null, new Traffic(40, 0, 1, 0), 0);
        totals.endSample();

        assertEquals(new Traffic(1_040, 0, 11, 0), totals.device());
        assertEquals(0, totals.users().size(), "a peer without session belongs to no user");
    }

    @Test
    void theLossOfASampleIsTheNewlyMissingPacketsAgainstThoseExpected() {
        totals.add("k1", "alice", new Traffic(0, 0, 100, 0), 0);
        totals.endSample();
        totals.add("k1", "alice", new Traffic(0, 0, 190, 0), 10); // 90 received, 10 missing
        totals.endSample();
        assertEquals(0.1, totals.lossOfLastSample(), 1e-12);

        totals.add("k1", "alice", new Traffic(0, 0, 191, 0), 9); // a late one filled a gap
        totals.endSample();
        assertEquals(0, totals.lossOfLastSample(), 1e-12);

        totals.endSample();
        assertEquals(0, totals.lossOfLastSample(), 1e-12, "no traffic, no loss");
    }

    @Test
    void aPeerThatCameBackAfterBeingGoneIsCountedFromItsNewStart() {
        totals.add("k", "carol", new Traffic(500, 0, 5, 0), 0);
        totals.endSample();
        totals.endSample(); // gone: forgotten
        totals.add("k", "carol", new Traffic(600, 0, 6, 0), 0); // back, with counts of its own
        totals.endSample();

        assertEquals(new Traffic(1_100, 0, 11, 0), totals.users().get("carol"));
    }
}
