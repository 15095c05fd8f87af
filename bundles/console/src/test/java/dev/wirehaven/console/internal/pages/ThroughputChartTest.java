package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.console.internal.sink.ConsoleSink;
import dev.wirehaven.console.internal.sink.ThroughputPoint;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThroughputChartTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void drawsOneLineEachWay_scaledToTheLargestRate() {
        String html = ThroughputChart.render(Map.of(
                "wg0",
                List.of(
                        new ThroughputPoint(T0, 0, 0),
                        new ThroughputPoint(T0.plusSeconds(10), 1_000, 400),
                        new ThroughputPoint(T0.plusSeconds(20), 2_000, 0))));
        assertTrue(html.contains("<svg"), html);
        // x from 80 to 710 over 20 s; y from 190 (zero) up to 10 (the scale's 2000 B/s)
        assertTrue(
                html.contains("class=\"received\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\""
                        + " points=\"80.0,190.0 395.0,100.0 710.0,10.0 \""),
                html);
        assertTrue(html.contains("points=\"80.0,190.0 395.0,154.0 710.0,190.0 \""), html);
        assertTrue(html.contains("2.0 KiB/s"), html);
        assertTrue(html.contains("received 2.0 KiB/s"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void interfaceNamesAreEscaped_andNoDataIsSaid() {
        String html = ThroughputChart.render(Map.of("<wg0>", List.of(new ThroughputPoint(T0, 1, 1))));
        assertTrue(html.contains("&lt;wg0&gt;</h2>"), html);
        assertTrue(ThroughputChart.render(Map.of()).contains("No throughput yet"));
        assertTrue(ThroughputChart.render(Map.of("wg0", List.of())).contains("No throughput yet"));
    }

    @Test
    void theScaleIsARoundNumber() {
        assertEquals(1, ThroughputChart.niceCeiling(0));
        assertEquals(2_000, ThroughputChart.niceCeiling(2_000));
        assertEquals(5_000, ThroughputChart.niceCeiling(2_001));
        assertEquals(10_000, ThroughputChart.niceCeiling(5_001));
    }

    @Test
    void thePageRefreshesItself_andRefusesPosts() throws Exception {
        ThroughputPage page = new ThroughputPage(
                new ConsoleSink(), Clock.fixed(T0, ZoneOffset.UTC), new CsrfTokens(new SecureRandom()));
        FakeHttp.Recorded get = new FakeHttp.Recorded();
        page.doGet(FakeHttp.request("admin", Map.of()), get.response());
        assertEquals("10", get.headers.get("Refresh"));
        FakeHttp.Recorded post = new FakeHttp.Recorded();
        page.doPost(FakeHttp.request("admin", Map.of()), post.response());
        assertEquals(405, post.status);
    }
}
