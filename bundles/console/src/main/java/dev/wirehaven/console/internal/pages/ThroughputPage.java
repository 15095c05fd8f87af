package dev.wirehaven.console.internal.pages;

import dev.wirehaven.console.internal.sink.ConsoleSink;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Console page {@code /system/console/wirehaven-throughput}: the tunnel's throughput per interface
 * over the last hour, from this bundle's {@link ConsoleSink}. It reloads itself every
 * {@value #REFRESH_SECONDS} seconds, the server's sampling interval; it has no form.
 */
@Component(
        service = Servlet.class,
        property = {
            ServletConstants.PLUGIN_LABEL + "=" + ThroughputPage.LABEL,
            ServletConstants.PLUGIN_TITLE + "=Throughput",
            ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY
        })
public final class ThroughputPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "wirehaven-throughput";

    static final int REFRESH_SECONDS = 10;

    private final transient ConsoleSink sink;

    @Activate
    public ThroughputPage(@Reference(name = "sink") ConsoleSink sink, @Reference(name = "tokens") CsrfTokens tokens) {
        this(sink, Clock.systemUTC(), tokens);
    }

    ThroughputPage(ConsoleSink sink, Clock clock, CsrfTokens tokens) {
        super(LABEL, clock, tokens);
        this.sink = sink;
    }

    @Override
    void addHeaders(HttpServletResponse response) {
        response.setHeader("Refresh", String.valueOf(REFRESH_SECONDS));
    }

    @Override
    String render(PageForm form, String notice) {
        return ThroughputChart.render(sink.throughput().byInterface());
    }

    @Override
    boolean hasForms() {
        return false;
    }
}
