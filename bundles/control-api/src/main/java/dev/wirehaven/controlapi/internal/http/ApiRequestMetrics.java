package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MetricSamples;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every control API request from its arrival to its answer (a request suspended for its body or
 * a policy long poll is timed until it completes) and hands the {@link ApiRequestTable}'s samples to
 * the server's sinks every 10 s, the period of the server's other samples.
 */
@Component(service = Preprocessor.class)
public final class ApiRequestMetrics implements Preprocessor {

    static final long PERIOD_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ApiRequestMetrics.class);

    private final ApiRequestTable table = new ApiRequestTable();
    private final Clock clock = Clock.systemUTC();
    private final ScheduledThreadPoolExecutor timer;
    private volatile MetricSamples samples;

    @Activate
    public ApiRequestMetrics() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wirehaven-api-metrics");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::publishQuietly, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindSamples")
    void bindSamples(MetricSamples bound) {
        samples = bound;
    }

    void unbindSamples(MetricSamples gone) {
        if (samples == gone) {
            samples = null;
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        String apiPath = http.getContextPath() + ControlApiServlet.SERVLET_PATH;
        String uri = http.getRequestURI();
        if (uri == null || !(uri.equals(apiPath) || uri.startsWith(apiPath + "/"))) {
            chain.doFilter(request, response); // the console and /metrics are not the control API
            return;
        }
        long started = System.nanoTime();
        String route = ApiRequestTable.routeOf(http.getMethod(), uri.substring(apiPath.length()));
        try {
            chain.doFilter(request, response);
        } finally {
            if (http.isAsyncStarted()) {
                http.getAsyncContext().addListener(new Completion(route, answer, started));
            } else {
                table.record(route, answer.getStatus(), System.nanoTime() - started);
            }
        }
    }

    /** Publishes now; the timer calls it, tests call it directly. */
    void publish() {
        MetricSamples current = samples;
        if (current == null) {
            return;
        }
        for (MetricSample s : table.samples(clock.instant())) {
            current.report(s);
        }
    }

    ApiRequestTable table() {
        return table;
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warn("Control API metrics not published: {}", e.toString());
        }
    }

    /** Records a suspended request when it completes, times out or fails. */
    private final class Completion implements AsyncListener {
        private final String route;
        private final HttpServletResponse answer;
        private final long started;

        Completion(String route, HttpServletResponse answer, long started) {
            this.route = route;
            this.answer = answer;
            this.started = started;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            table.record(route, answer.getStatus(), System.nanoTime() - started);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
