package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The control API's requests, counted by route and status, with the time they took by route: what an
 * operator watches to see logins failing, clients polling too often, or the API slowing down. Routes
 * are the API's own ({@link ApiRoute}, or {@code unknown} for a path it does not have), statuses are
 * three digits, so the table stays small whatever clients send.
 */
final class ApiRequestTable {

    /** The route of a request outside the API's paths or methods: one label, not the path a client chose. */
    static final String UNKNOWN = "unknown";

    private record Key(String route, int status) {}

    /** Time spent by route: a running total and how many requests it covers. */
    private static final class Latency {
        final LongAdder nanos = new LongAdder();
        final LongAdder count = new LongAdder();
        long reportedNanos;
        long reportedCount;
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Latency> latency = new ConcurrentHashMap<>();

    /** Counts one answered request. */
    void record(String route, int status, long nanos) {
        requests.computeIfAbsent(new Key(route, status), k -> new LongAdder()).increment();
        Latency l = latency.computeIfAbsent(route, r -> new Latency());
        l.nanos.add(Math.max(0, nanos));
        l.count.increment();
    }

    /**
     * The samples of now: {@code api.requests} by route and status (counter) and, for each route with
     * requests since the last call, {@code api.request.latency} (gauge, seconds: their mean).
     */
    synchronized List<MetricSample> samples(Instant now) {
        List<MetricSample> samples = new ArrayList<>();
        requests.forEach((k, n) -> samples.add(MetricSample.counter(
                "api.requests",
                n.sum(),
                "requests",
                Map.of("route", k.route(), "status", Integer.toString(k.status())),
                now)));
        latency.forEach((route, l) -> {
            long nanos = l.nanos.sum();
            long count = l.count.sum();
            long newCount = count - l.reportedCount;
            if (newCount > 0) {
                double mean = (nanos - l.reportedNanos) / 1e9 / newCount;
                samples.add(MetricSample.gauge("api.request.latency", mean, "seconds", Map.of("route", route), now));
            }
            l.reportedNanos = nanos;
            l.reportedCount = count;
        });
        return samples;
    }

    /** The route label of a request: its {@link ApiRoute} in lower case, or {@link #UNKNOWN}. */
    static String routeOf(String method, String pathInfo) {
        try {
            return ApiRoute.match(method, pathInfo)
                    .route()
                    .name()
                    .toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-');
        } catch (ApiRefusal notARoute) {
            return UNKNOWN;
        }
    }
}
