package dev.wirehaven.monitor.prometheus.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The Prometheus sink: receives the server's samples as a {@link MonitoringSink} and serves them at
 * {@code /metrics} as a servlet on the whiteboard. One object with both faces, so that {@code /metrics}
 * exists exactly while the sink does: stopping or removing this bundle removes the path, installing it
 * again brings it back.
 *
 * <p>{@code /metrics} is on the server's plain HTTP port, which answers this host only (the control
 * API's filter lets only {@code /api/v1} through from elsewhere): run Prometheus on the gateway, or
 * reach it through an SSH tunnel or a local agent.
 */
@Component(
        service = {MonitoringSink.class, Servlet.class},
        configurationPid = PrometheusSink.PID,
        property = MonitoringSink.NAME_PROPERTY + "=" + PrometheusSink.NAME)
@HttpWhiteboardServletPattern(PrometheusSink.PATH)
@HttpWhiteboardServletName("wirehaven-prometheus")
@Designate(ocd = PrometheusSink.Config.class)
public final class PrometheusSink extends HttpServlet implements MonitoringSink {

    private static final long serialVersionUID = 1L;

    static final String NAME = "prometheus";
    static final String PID = "dev.wirehaven.monitor.prometheus";
    static final String PATH = "/metrics";

    @ObjectClassDefinition(
            name = "Wirehaven Prometheus exporter",
            description = "Keeps the latest sample of each series and serves them at /metrics")
    public @interface Config {
        @AttributeDefinition(
                description = "Seconds after which a series that was not sampled again is dropped (an ended"
                        + " session's series); longer than the slowest sampling interval")
        long stale_after_seconds() default 600;

        @AttributeDefinition(description = "Most series kept at once; further new series are refused and counted")
        int max_series() default 50_000;
    }

    private final transient SeriesStore store;
    private final transient Exposition exposition;

    @Activate
    public PrometheusSink(Config config) {
        this(new SeriesStore(
                Clock.systemUTC(),
                Duration.ofSeconds(Math.max(1, config.stale_after_seconds())),
                Math.max(1, config.max_series())));
    }

    PrometheusSink(SeriesStore store) {
        this.store = store;
        this.exposition = new Exposition(store);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void metric(MetricSample sample) {
        store.record(sample);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(Exposition.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        try (OutputStream out = response.getOutputStream()) {
            exposition.write(out);
        }
    }
}
