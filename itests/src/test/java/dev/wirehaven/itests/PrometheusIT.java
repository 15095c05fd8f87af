package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Prometheus sink on the real server zip, scraped by a real Prometheus (Debian's), and swapped
 * out and in while the server runs.
 *
 * <pre>
 *   prometheus (127.0.0.1:P, scrape every 1 s) ──GET /metrics──▶ server zip (127.0.0.1:HTTP)
 *                                                                 deploy/wirehaven-monitor-prometheus-*.jar
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path work;
    private Path home;
    private int port;
    private ServerProcess server;
    private Process prometheus;
    private int prometheusPort;

    @BeforeAll
    void start() throws IOException {
        work = Distribution.freshWork("PrometheusIT");
        home = DistributionZip.unpack(Distribution.zip(), work.resolve("install"));
        port = Distribution.freePort();
        server = ServerProcess.start(home, port, work.resolve("server.out"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void theServerServesMetricsInTheExpositionFormat() {
        HttpResponse<String> r = Eventually.await(
                "/metrics from the deployed sink",
                START_TIMEOUT,
                () -> get("http://127.0.0.1:" + port + "/metrics"),
                x -> x.statusCode() == 200);
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        assertTrue(r.body().contains("# TYPE wirehaven_jvm_heap_bytes gauge"), r.body());
        assertTrue(r.body().contains("wirehaven_process_cpu_seconds_total "), r.body());
    }

    @Test
    @Order(2)
    void aRealPrometheusScrapesIt() throws Exception {
        boolean installed = Files.isExecutable(PROMETHEUS);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_PROMETHEUS"))) {
            throw new IllegalStateException(
                    "WIREHAVEN_REQUIRE_PROMETHEUS=1 but no " + PROMETHEUS + ": apt-get install prometheus");
        }
        Assumptions.assumeTrue(installed, "no Prometheus: apt-get install prometheus to run the scrape");
        prometheusPort = Distribution.freePort();
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
                        "      - targets: ['127.0.0.1:" + port + "']",
                        ""));
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + work.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.out").toFile())
                .start();
        String up = Eventually.await(
                "Prometheus to scrape the server successfully",
                START_TIMEOUT,
                () -> query("up{job=\"wirehaven\"}"),
                body -> body.contains("\"1\"]"));
        assertTrue(up.contains("\"status\":\"success\""), up);
        String heap = Eventually.await(
                "the server's heap in Prometheus",
                START_TIMEOUT,
                () -> query("wirehaven_jvm_heap_bytes{area=\"used\"}"),
                body -> body.contains("\"instance\":\"127.0.0.1:" + port + "\""));
        assertTrue(heap.contains("\"job\":\"wirehaven\""), heap);
        // what Prometheus itself says about the scrape: no sample was refused for its format
        String health =
                get("http://127.0.0.1:" + prometheusPort + "/api/v1/targets").body();
        assertTrue(health.contains("\"health\":\"up\""), health);
        assertTrue(health.contains("\"lastError\":\"\""), health);
    }

    @Test
    @Order(3)
    void removingTheBundleRemovesMetricsAndPuttingItBackRestoresIt() throws Exception {
        List<Path> jars;
        try (Stream<Path> files = Files.list(home.resolve("deploy"))) {
            jars = files.filter(p -> p.getFileName().toString().startsWith("wirehaven-monitor-prometheus-"))
                    .toList();
        }
        assertEquals(1, jars.size(), "the sink in deploy/: " + jars);
        Path jar = jars.get(0);
        Path aside = work.resolve(jar.getFileName());
        Files.move(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        Eventually.await(
                "/metrics to go with its bundle",
                START_TIMEOUT,
                () -> get("http://127.0.0.1:" + port + "/metrics").statusCode(),
                status -> status == 404);
        Files.copy(aside, jar.resolveSibling("." + jar.getFileName() + ".part"));
        Files.move(jar.resolveSibling("." + jar.getFileName() + ".part"), jar, StandardCopyOption.ATOMIC_MOVE);
        HttpResponse<String> back = Eventually.await(
                "/metrics to come back with its bundle",
                START_TIMEOUT,
                () -> get("http://127.0.0.1:" + port + "/metrics"),
                r -> r.statusCode() == 200);
        assertTrue(back.body().contains("wirehaven_jvm_heap_bytes"), back.body());
        assertTrue(server.isAlive(), server.output());
    }

    private String query(String promql) throws IOException, InterruptedException {
        return get("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .body();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
