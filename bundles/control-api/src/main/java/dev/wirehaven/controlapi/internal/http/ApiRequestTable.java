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

    /**
     * The upper bounds of the latency histogram's buckets in seconds: from a login answered from memory
     * (under a millisecond) to one that waits on a slow LDAP or OIDC provider.
     */
    static final List<Double> BUCKET_BOUNDS_SECONDS =
            List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, Double.POSITIVE_INFINITY);

    /** Time spent by route: a running total, how many requests it covers, and their distribution. */
    private static final class Latency {
        final LongAdder nanos = new LongAdder();
        final LongAdder count = new LongAdder();
        /** Requests by the first bucket whose bound they are within (not cumulative). */
        final LongAdder[] buckets = new LongAdder[BUCKET_BOUNDS_SECONDS.size()];

        long reportedNanos;
        long reportedCount;

        Latency() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void add(long took) {
            nanos.add(took);
            count.increment();
            double seconds = took / 1e9;
            int i = 0;
            while (seconds > BUCKET_BOUNDS_SECONDS.get(i)) { // the last bound is +Inf
                i++;
            }
            buckets[i].increment();
        }

        MetricSample.Buckets distribution() {
            List<Long> cumulative = new ArrayList<>();
            long running = 0;
            for (LongAdder b : buckets) {
                running += b.sum();
                cumulative.add(running);
            }
            return new MetricSample.Buckets(BUCKET_BOUNDS_SECONDS, cumulative, nanos.sum() / 1e9);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Latency> latency = new ConcurrentHashMap<>();

    /** Counts one answered request. */
    void record(String route, int status, long nanos) {
        requests.computeIfAbsent(new Key(route, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, r -> new Latency()).add(Math.max(0, nanos));
    }

    /**
     * The samples of now: {@code api.requests} by route and status (counter), {@code
     * api.request.duration} by route (histogram, seconds, since the server started) and, for each
     * route with requests since the last call, {@code api.request.latency} (gauge, seconds: their
     * mean, what the alerts watch).
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
            MetricSample.Buckets distribution = l.distribution();
            if (distribution.count() > 0) {
                samples.add(MetricSample.histogram(
                        "api.request.duration", distribution, "seconds", Map.of("route", route), now));
            }
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
