package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) inside a namespace, scraping a target
 * there every second, and its HTTP query API as a dashboard reads it ({@code curl} in the same
 * namespace). It stops with the namespace.
 */
final class NetnsPrometheus {

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    /** One series of an instant query's answer: its labels (with {@code __name__}) and its value. */
    record Series(Map<String, String> labels, double value) {}

    private static final Pattern RESULT =
            Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]\\}");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]+)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Netns ns;
    private final int port;

    private NetnsPrometheus(Netns ns, int port) {
        this.ns = ns;
        this.port = port;
    }

    /**
     * Skips the calling test when Prometheus is not installed, unless the build requires it
     * ({@code WIREHAVEN_REQUIRE_PROMETHEUS=1}, as CI does), where its absence is a failure.
     */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(PROMETHEUS);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_PROMETHEUS"))) {
            throw new IllegalStateException(
                    "WIREHAVEN_REQUIRE_PROMETHEUS=1 but no " + PROMETHEUS + ": apt-get install prometheus");
        }
        Assumptions.assumeTrue(installed, "no Prometheus: apt-get install prometheus to run the scrape");
    }

    /** Starts Prometheus in {@code ns} on {@code 127.0.0.1:port}, scraping {@code target} (host:port) every second. */
    static NetnsPrometheus start(Netns ns, Path work, int port, String target) throws IOException {
        Files.createDirectories(work);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  scrape_timeout: 1s",
                        "scrape_configs:",
                        "  - job_name: wirehaven",
                        "    static_configs:",
                        "      - targets: ['" + target + "']",
                        ""));
        ns.spawn(
                work.resolve("prometheus.out"),
                Map.of(),
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port);
        return new NetnsPrometheus(ns, port);
    }

    /**
     * An instant query, evaluated once: all series in the answer come from the same scrapes, so a
     * selector that matches several metrics reads them as of one moment.
     */
    List<Series> query(String promql) throws IOException {
        Command.Result r = ns.exec(
                30,
                Map.of(),
                "curl",
                "-sS",
                "--max-time",
                "10",
                "-G",
                "http://127.0.0.1:" + port + "/api/v1/query",
                "--data-urlencode",
                "query=" + promql);
        String body = r.stdout();
        if (r.exitCode() != 0 || !body.contains("\"status\":\"success\"")) {
            throw new IOException("query " + promql + " failed (exit " + r.exitCode() + "): " + body + r.stderr());
        }
        List<Series> series = new ArrayList<>();
        Matcher m = RESULT.matcher(body);
        while (m.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            series.add(new Series(Map.copyOf(labels), Double.parseDouble(m.group(2))));
        }
        return series;
    }

    /** What Prometheus says about its targets' health ({@code /api/v1/targets}). */
    String targets() throws IOException {
        return ns.exec(30, Map.of(), "curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port + "/api/v1/targets")
                .stdout();
    }
}
