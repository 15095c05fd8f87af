package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CpuLoadAverageTest {

    private final MutableClock clock = new MutableClock();
    private double next;
    private final CpuLoadAverage load = new CpuLoadAverage(() -> next, clock);

    private double sampleAfter(Duration elapsed, double value) {
        clock.advance(elapsed);
        next = value;
        return load.getAsDouble();
    }

    @Test
    void nothingMeasuredYetIsReportedAsNotMeasured() {
        assertEquals(-1, sampleAfter(Duration.ZERO, -1));
        assertEquals(-1, sampleAfter(Duration.ofSeconds(1), Double.NaN));
    }

    @Test
    void theFirstSampleIsTheAverage() {
        assertEquals(0.3, sampleAfter(Duration.ZERO, 0.3), 1e-9);
    }

    @Test
    void aOneSecondSpikeOnAnIdleNodeMovesTheAverageByAboutATenth() {
        for (int i = 0; i < 60; i++) {
            sampleAfter(Duration.ofSeconds(1), 0.02);
        }
        double withSpike = sampleAfter(Duration.ofSeconds(1), 0.9);
        assertTrue(withSpike < 0.12, "one busy second out of an idle minute: " + withSpike);
        assertTrue(withSpike > 0.02, "but it counts: " + withSpike);
    }

    @Test
    void aSteadyLoadIsReachedWithinAFewTimeConstants() {
        sampleAfter(Duration.ZERO, 0.0);
        double average = 0;
        for (int i = 0; i < 40; i++) {
            average = sampleAfter(Duration.ofSeconds(1), 0.8);
        }
        assertEquals(0.8, average, 0.02);
    }

    @Test
    void aSampleThatStandsForALongGapWeighsAsMuchAsThatGap() {
        sampleAfter(Duration.ZERO, 0.0);
        double afterOneSecond = sampleAfter(Duration.ofSeconds(1), 1.0);
        assertTrue(afterOneSecond < 0.2, "a sample after 1 s: " + afterOneSecond);

        sampleAfter(Duration.ofSeconds(60), 0.0);
        double afterThirtySeconds = sampleAfter(Duration.ofSeconds(30), 1.0);
        assertTrue(afterThirtySeconds > 0.9, "a sample after 30 s without one: " + afterThirtySeconds);
    }

    @Test
    void aLoadAboveOneIsCountedAsFull() {
        assertEquals(1.0, sampleAfter(Duration.ZERO, 1.7), 1e-9);
    }
}
