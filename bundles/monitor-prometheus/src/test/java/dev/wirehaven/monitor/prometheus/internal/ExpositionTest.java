package dev.wirehaven.monitor.prometheus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpositionTest {

    private final SeriesStoreTest.HandClock clock = new SeriesStoreTest.HandClock();
    private final SeriesStore store = new SeriesStore(clock, Duration.ofMinutes(10), 1000);
    private final Exposition exposition = new Exposition(store);

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exposition.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private void someSamples() {
        store.record(MetricSample.counter(
                "session.bytes.received", 1234, "bytes", Map.of("user", "alice", "session", "s-1"), clock.now));
        store.record(MetricSample.counter(
                "session.bytes.received", 99, "bytes", Map.of("user", "bob", "session", "s-2"), clock.now));
        store.record(MetricSample.gauge(
                "wirehaven.client.latency", 250, "ms", Map.of("session", "s-1", "interface", "wg0"), clock.now));
        // a hostile user name: quotes, a backslash and a newline must not break the format
        store.record(MetricSample.counter(
                "policy.denied.packets",
                7,
                "packets",
                Map.of("rule", "acl:default-deny", "user", "eve\"\\\n{x=\"1\"}"),
                clock.now));
    }

    @Test
    void countersAndGaugesAreWrittenWithTheirTypesUnitsAndLabels() throws IOException {
        someSamples();
        String text = scrape();
        assertTrue(text.contains("# TYPE wirehaven_session_received_bytes_total counter"), text);
        assertTrue(
                text.contains("wirehaven_session_received_bytes_total{session=\"s-1\",user=\"alice\"} 1234.0"), text);
        assertTrue(text.contains("# TYPE wirehaven_client_latency_seconds gauge"), text);
        assertTrue(text.contains("wirehaven_client_latency_seconds{interface=\"wg0\",session=\"s-1\"} 0.25"), text);
        assertTrue(text.contains("wirehaven_jvm_heap_bytes{area=\"used\"}"), text);
        assertTrue(text.contains("wirehaven_process_cpu_seconds_total "), text);
    }

    @Test
    void aHistogramIsWrittenWithCumulativeBucketsItsCountAndItsSum() throws IOException {
        // two handshakes within 5 ms, one within 50 ms, one slower than every bound; sent in milliseconds
        MetricSample.Buckets ms =
                new MetricSample.Buckets(List.of(5.0, 50.0, Double.POSITIVE_INFINITY), List.of(2L, 3L, 4L), 9_070.0);
        store.record(MetricSample.histogram("handshake.duration", ms, "ms", Map.of("interface", "wg0"), clock.now));
        String text = scrape();
        assertTrue(text.contains("# TYPE wirehaven_handshake_duration_seconds histogram"), text);
        assertTrue(
                text.contains("wirehaven_handshake_duration_seconds_bucket{interface=\"wg0\",le=\"0.005\"} 2"), text);
        assertTrue(text.contains("wirehaven_handshake_duration_seconds_bucket{interface=\"wg0\",le=\"0.05\"} 3"), text);
        assertTrue(text.contains("wirehaven_handshake_duration_seconds_bucket{interface=\"wg0\",le=\"+Inf\"} 4"), text);
        assertTrue(text.contains("wirehaven_handshake_duration_seconds_count{interface=\"wg0\"} 4"), text);
        assertTrue(text.contains("wirehaven_handshake_duration_seconds_sum{interface=\"wg0\"} 9.07"), text);
    }

    @Test
    void aPushedSampleNamedLikeTheExportersOwnJvmMetricsDoesNotBreakTheScrape() throws IOException {
        // the server publishes jvm.threads itself; the exporter measures the same at scrape time
        store.record(MetricSample.gauge("jvm.threads", 42, "1", Map.of(), clock.now));
        store.record(MetricSample.gauge("jvm.heap", 1, "bytes", Map.of("area", "used"), clock.now));
        String text = scrape();
        assertEquals(
                1,
                text.lines()
                        .filter(l -> l.startsWith("# TYPE wirehaven_jvm_threads "))
                        .count(),
                text);
        assertEquals(
                1,
                text.lines()
                        .filter(l -> l.startsWith("# TYPE wirehaven_jvm_heap_bytes "))
                        .count(),
                text);
        assertTrue(text.contains("reason=\"own-name\"} 2.0"), text);
    }

    @Test
    void labelValuesAreEscapedSoThatNoSampleCanForgeAnother() throws IOException {
        someSamples();
        String text = scrape();
        assertTrue(text.contains("user=\"eve\\\"\\\\\\n{x=\\\"1\\\"}\""), text);
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("{x="), "a label value started a line: " + line);
        }
    }

    /** Debian's promtool, where installed, judges the whole exposition: names, types, units, escaping. */
    @Test
    void promtoolFindsNothingWrongWithAScrape(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        boolean installed = Files.isExecutable(promtool);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_PROMETHEUS"))) {
            throw new IllegalStateException(
                    "WIREHAVEN_REQUIRE_PROMETHEUS=1 but no " + promtool + ": apt-get install prometheus");
        }
        Assumptions.assumeTrue(installed, "no promtool: apt-get install prometheus to check the format");
        someSamples();
        Path scrape = dir.resolve("scrape.txt");
        Files.writeString(scrape, scrape());
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + said + "\non:\n" + Files.readString(scrape));
        assertEquals("", said.trim(), "promtool's findings (lint):\n" + said);
    }
}
