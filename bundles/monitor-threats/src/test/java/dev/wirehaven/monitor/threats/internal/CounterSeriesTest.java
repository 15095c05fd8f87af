package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterSeriesTest {

    private final TestClock clock = new TestClock();

    @Test
    void duringTheWarmUpTheFirstValueIsAStartingPointThenIncreasesAndARestartCountsItsNewValue() {
        CounterSeries c = new CounterSeries(10, clock);
        assertEquals(0, c.increase("a", 1_000_000));
        assertEquals(50, c.increase("a", 1_000_050));
        assertEquals(0, c.increase("a", 1_000_050));
        assertEquals(7, c.increase("a", 7));
        assertEquals(0, c.increase("b", 5));
    }

    @Test
    void aSeriesThatAppearsAfterTheWarmUpStartedFromZero() {
        CounterSeries c = new CounterSeries(10, clock);
        assertEquals(0, c.increase("old", 500));

        clock.advance(CounterSeries.WARM_UP);

        assertEquals(120, c.increase("new", 120), "a session that scanned before its first sample is seen");
        assertEquals(0, c.increase("old", 500));
    }
}
