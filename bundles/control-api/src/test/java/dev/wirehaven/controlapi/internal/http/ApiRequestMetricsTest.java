package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.controlapi.internal.tls.TestHttpsServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiRequestMetricsTest {

    @TempDir
    Path data;

    @Test
    void routesAreTheApisOwnNamesAndAnythingElseIsUnknown() {
        assertEquals("request-connection", ApiRequestTable.routeOf("POST", "/sessions"));
        assertEquals("authenticate", ApiRequestTable.routeOf("POST", "/sessions/abcdefghijklmnopqrstuv/auth"));
        assertEquals("disconnect", ApiRequestTable.routeOf("DELETE", "/sessions/abcdefghijklmnopqrstuv"));
        assertEquals(ApiRequestTable.UNKNOWN, ApiRequestTable.routeOf("GET", "/../../etc/passwd"));
        assertEquals(ApiRequestTable.UNKNOWN, ApiRequestTable.routeOf("PATCH", "/sessions"));
    }

    @Test
    void requestsAreCountedByRouteAndStatusAndTheLatencyIsTheMeanSinceTheLastSample() {
        ApiRequestTable table = new ApiRequestTable();
        table.record("authenticate", 200, 2_000_000);
        table.record("authenticate", 401, 4_000_000);
        table.record("request-connection", 201, 1_000_000);

        Map<String, MetricSample> first = byKey(table.samples(Instant.EPOCH));

        assertEquals(1, first.get("api.requests authenticate 200").value());
        assertEquals(1, first.get("api.requests authenticate 401").value());
        assertEquals(
                MetricSample.Kind.COUNTER,
                first.get("api.requests authenticate 401").kind());
        assertEquals(0.003, first.get("api.request.latency authenticate").value(), 1e-12);
        assertEquals(
                MetricSample.Kind.GAUGE,
                first.get("api.request.latency authenticate").kind());

        table.record("authenticate", 200, 10_000_000);
        Map<String, MetricSample> second = byKey(table.samples(Instant.EPOCH));

        assertEquals(2, second.get("api.requests authenticate 200").value(), "counters are running totals");
        assertEquals(0.010, second.get("api.request.latency authenticate").value(), 1e-12, "only the new request");
        assertTrue(!second.containsKey("api.request.latency request-connection"), "no requests, no latency");
    }

    @Test
    void everyRequestOfARouteIsInItsDurationHistogram() {
        ApiRequestTable table = new ApiRequestTable();
        table.record("authenticate", 200, 800_000); // within 1 ms
        table.record("authenticate", 401, 4_000_000); // within 5 ms
        table.record("authenticate", 200, 7_000_000_000L); // slower than every bound
        table.samples(Instant.EPOCH);
        table.record("authenticate", 200, 3_000_000); // within 5 ms

        MetricSample h = table.samples(Instant.EPOCH).stream()
                .filter(m -> m.name().equals("api.request.duration"))
                .findFirst()
                .orElseThrow();

        assertEquals(MetricSample.Kind.HISTOGRAM, h.kind());
        assertEquals("authenticate", h.tags().get("route"));
        assertEquals(4, h.value(), "since the server started, not since the last sample");
        List<Long> counts = h.buckets().cumulativeCounts();
        assertEquals(1L, counts.get(0));
        assertEquals(3L, counts.get(1));
        assertEquals(3L, counts.get(counts.size() - 2));
        assertEquals(4L, counts.get(counts.size() - 1));
        assertEquals(7.0078, h.buckets().sum(), 1e-9);
    }

    @Test
    void aSuspendedRequestIsTimedUntilItsAnswerAndOtherPathsAreNotCounted() throws Exception {
        ApiRequestMetrics metrics = new ApiRequestMetrics();
        List<MetricSample> reported = new CopyOnWriteArrayList<>();
        metrics.bindSamples(reported::add);
        try (TestHttpsServer server = TestHttpsServer.start(data, true, context -> {
            context.addFilter(new FilterHolder(metrics), "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder api = new ServletHolder(new SuspendingApi());
            api.setAsyncSupported(true);
            context.addServlet(api, "/api/v1/*");
            context.addServlet(new ServletHolder(new SuspendingApi()), "/system/console/*");
        })) {
            assertEquals(201, send(server, "POST", "/api/v1/sessions").statusCode());
            assertEquals(404, send(server, "GET", "/api/v1/nothing").statusCode());
            send(server, "POST", "/system/console/x");

            metrics.publish();
        } finally {
            metrics.deactivate();
        }
        Map<String, MetricSample> samples = byKey(reported);
        assertEquals(1, samples.get("api.requests request-connection 201").value());
        assertEquals(1, samples.get("api.requests unknown 404").value());
        assertEquals(
                2,
                samples.values().stream()
                        .filter(s -> s.name().equals("api.requests"))
                        .count());
        assertTrue(samples.get("api.request.latency request-connection").value() >= 0.05, "timed until the answer");
    }

    private static HttpResponse<String> send(TestHttpsServer server, String method, String path) throws Exception {
        return server.client()
                .send(
                        HttpRequest.newBuilder(server.https(path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, MetricSample> byKey(List<MetricSample> samples) {
        Map<String, MetricSample> byKey = new java.util.HashMap<>();
        for (MetricSample s : samples) {
            String status = s.tags().get("status");
            byKey.put(s.name() + " " + s.tags().get("route") + (status == null ? "" : " " + status), s);
        }
        return byKey;
    }

    /** Answers a POST of /sessions with 201 after 50 ms from another thread (like a body read), else 404. */
    private static final class SuspendingApi extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/sessions".equals(request.getPathInfo())) {
                response.setStatus(404);
                return;
            }
            AsyncContext async = request.startAsync();
            new Thread(() -> {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        ((HttpServletResponse) async.getResponse()).setStatus(201);
                        async.complete();
                    })
                    .start();
        }
    }
}
