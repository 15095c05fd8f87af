package dev.wirehaven.sessions.internal.monitor;

import dev.wirehaven.api.monitor.MetricSample;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server process's own health as metrics for every sink, every 10 s: heap in use and its maximum
 * ({@code jvm.heap.used}, {@code jvm.heap.max}, bytes), the process's share of the machine's CPU
 * ({@code process.cpu.load}, 0 to 1) and live threads ({@code jvm.threads}). The performance alerts
 * watch the first three; the session layer's samples say what the process carries.
 *
 * <p>It runs whether or not an interface is up: a server that cannot start its sessions still has a
 * heap to watch.
 */
@Component(service = {})
public final class ProcessMetrics {

    /** How often the samples go out: the session layer's device samples have the same period. */
    static final long PERIOD_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMetrics.class);

    private final MonitoringDispatcher monitor;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    @Activate
    public ProcessMetrics(@Reference MonitoringDispatcher monitor) {
        this.monitor = monitor;
        this.clock = Clock.systemUTC();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wirehaven-process-metrics");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        timer.scheduleWithFixedDelay(this::sampleQuietly, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void sampleQuietly() {
        try {
            for (MetricSample s : sample(
                    ManagementFactory.getMemoryMXBean(),
                    ManagementFactory.getOperatingSystemMXBean(),
                    ManagementFactory.getThreadMXBean(),
                    clock)) {
                monitor.metric(s);
            }
        } catch (RuntimeException e) {
            // the next period tries again; a failing MXBean must not end the timer
            LOG.warn("Process metrics not sampled: {}", e.toString());
        }
    }

    /** One sample of each; the CPU load only where the JDK measures it (HotSpot's extension does). */
    static java.util.List<MetricSample> sample(
            MemoryMXBean memory, OperatingSystemMXBean os, ThreadMXBean threads, Clock clock) {
        var now = clock.instant();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        java.util.List<MetricSample> samples = new java.util.ArrayList<>();
        samples.add(MetricSample.gauge("jvm.heap.used", heap.getUsed(), "bytes", Map.of(), now));
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        samples.add(MetricSample.gauge("jvm.heap.max", max, "bytes", Map.of(), now));
        samples.add(MetricSample.gauge("jvm.threads", threads.getThreadCount(), "1", Map.of(), now));
        double load = processCpuLoad(os);
        if (load >= 0 && Double.isFinite(load)) { // negative: not measured (yet)
            samples.add(MetricSample.gauge("process.cpu.load", load, "1", Map.of(), now));
        }
        return samples;
    }

    /** The process's share of all cores' CPU time lately, 0 to 1, or a negative value when not measured yet. */
    public static double processCpuLoad() {
        return processCpuLoad(ManagementFactory.getOperatingSystemMXBean());
    }

    /**
     * The JDK's own measure of the process's CPU share, read as an MBean attribute rather than through
     * {@code com.sun.management}, a package that Felix does not export to bundles by default.
     */
    private static double processCpuLoad(OperatingSystemMXBean os) {
        try {
            Object value =
                    ManagementFactory.getPlatformMBeanServer().getAttribute(os.getObjectName(), "ProcessCpuLoad");
            return value instanceof Number n ? n.doubleValue() : -1;
        } catch (javax.management.JMException | RuntimeException e) {
            return -1;
        }
    }
}
