package dev.wirehaven.sessions.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void heapAndThreadsAreGaugesOfThisProcessWithTheSampleTime() {
        List<MetricSample> samples = ProcessMetrics.sample(
                ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getOperatingSystemMXBean(),
                ManagementFactory.getThreadMXBean(),
                clock);
        Map<String, MetricSample> byName = samples.stream().collect(Collectors.toMap(MetricSample::name, s -> s));

        MetricSample used = byName.get("jvm.heap.used");
        MetricSample max = byName.get("jvm.heap.max");
        assertTrue(used.value() > 0, "a running JVM uses some heap");
        assertTrue(max.value() >= used.value(), "the maximum is at least what is used");
        assertEquals("bytes", used.unit());
        assertTrue(byName.get("jvm.threads").value() >= 1);
        for (MetricSample s : samples) {
            assertEquals(MetricSample.Kind.GAUGE, s.kind(), s.name());
            assertEquals(clock.instant(), s.timestamp(), s.name());
        }
    }

    @Test
    void cpuLoadIsReadFromTheJdkAsAShareBetweenZeroAndOne() {
        // the JDK measures the load between two reads: the first may not have a value yet
        ProcessMetrics.sample(
                ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getOperatingSystemMXBean(),
                ManagementFactory.getThreadMXBean(),
                clock);
        List<MetricSample> load = ProcessMetrics.sample(
                        ManagementFactory.getMemoryMXBean(),
                        ManagementFactory.getOperatingSystemMXBean(),
                        ManagementFactory.getThreadMXBean(),
                        clock)
                .stream()
                .filter(s -> s.name().equals("process.cpu.load"))
                .toList();
        assertEquals(1, load.size(), "HotSpot on Linux reports the process's CPU load");
        assertTrue(
                load.get(0).value() >= 0 && load.get(0).value() <= 1,
                "load " + load.get(0).value());
    }
}
