package dev.wirehaven.monitor.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void bytesAreShownInBinaryUnits() {
        assertEquals("912 MiB", Quantities.format(912.0 * 1024 * 1024, "bytes"));
        assertEquals("1.5 GiB", Quantities.format(1.5 * 1024 * 1024 * 1024, "bytes"));
        assertEquals("512 bytes", Quantities.format(512, "bytes"));
        assertEquals("2 KiB/s", Quantities.format(2048, "bytes/s"));
    }

    @Test
    void secondsCountsAndOtherUnits() {
        assertEquals("0.5 s", Quantities.format(0.5, "seconds"));
        assertEquals("1100", Quantities.format(1100, "1"));
        assertEquals("0.9312", Quantities.format(0.93123, ""));
        assertEquals("1000 packets/s", Quantities.format(1000, "packets/s"));
        assertEquals("3.333/s", Quantities.format(10.0 / 3, "1/s"));
    }
}
