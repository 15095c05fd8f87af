package dev.wirehaven.benchmarks.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the nodes' heartbeat rows once a second while the clients connect: the CPU use each node
 * reported (the JVM's, of all cores) is half of the headroom that placement compares, so it explains
 * a placement that is not even on a machine whose CPUs the nodes share.
 */
final class HeartbeatSampler {

    /** Runs one SQL statement and gives its rows ({@code a|b}). */
    interface Sql {
        List<String> rows(String sql) throws IOException, InterruptedException;
    }

    private final Sql sql;
    private final Map<String, List<Double>> samples = new TreeMap<>();
    private volatile boolean running = true;
    private Thread thread;

    HeartbeatSampler(Sql sql) {
        this.sql = sql;
    }

    void start() {
        thread = new Thread(this::sample, "heartbeat-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }

    /** Per node: the mean and the largest CPU use seen, in percent of all cores. */
    synchronized String summary() {
        StringBuilder b = new StringBuilder();
        samples.forEach((node, values) -> {
            double mean =
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            b.append(b.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f/%.0f %%", node, mean * 100, max * 100));
        });
        return b.length() == 0 ? "(no heartbeat read)" : b + " (" + count() + " samples)";
    }

    private int count() {
        return samples.values().stream().mapToInt(List::size).max().orElse(0);
    }

    private void sample() {
        while (running) {
            try {
                for (String row : sql.rows("SELECT name, cpu_load FROM gateway_nodes ORDER BY name")) {
                    String[] cols = row.split("\\|");
                    synchronized (this) {
                        samples.computeIfAbsent(cols[0], k -> new ArrayList<>()).add(Double.parseDouble(cols[1]));
                    }
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one missed sample; the next second tries again
            }
        }
    }
}
