package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Console page {@code /system/console/wirehaven-sessions}: the open sessions, and a Disconnect button
 * for each, which revokes the session as the gogo command does. Works without the session layer
 * (it says so).
 */
@Component(
        service = Servlet.class,
        property = {
            ServletConstants.PLUGIN_LABEL + "=" + SessionsPage.LABEL,
            ServletConstants.PLUGIN_TITLE + "=Sessions",
            ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY
        })
public final class SessionsPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "wirehaven-sessions";

    /** The form field naming the session to disconnect. */
    static final String SESSION = "session";

    private static final Map<String, String> OUTCOMES = Map.of(
            "disconnected", "The session was disconnected.",
            "gone", "That session had already ended.",
            "unavailable", "The session layer is not running: nothing was disconnected.");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile SessionDirectory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile SessionAdmin admin;

    @Activate
    public SessionsPage(@Reference(name = "tokens") CsrfTokens tokens) {
        this(Clock.systemUTC(), tokens);
    }

    SessionsPage(Clock clock, CsrfTokens tokens) {
        super(LABEL, clock, tokens);
    }

    @Override
    String render(PageForm form, String notice) {
        SessionDirectory d = directory;
        return d == null
                ? SessionsView.render(null, Map.of(), false, clock.instant(), form, notice)
                : SessionsView.render(d.sessions(), d.endpoints(), admin != null, clock.instant(), form, notice);
    }

    @Override
    String act(HttpServletRequest request) {
        SessionAdmin a = admin;
        String id = request.getParameter(SESSION);
        if (a == null) {
            return "unavailable";
        }
        if (id == null || id.isBlank()) {
            return "gone";
        }
        return a.revoke(id, BY).isPresent() ? "disconnected" : "gone";
    }

    @Override
    Map<String, String> outcomes() {
        return OUTCOMES;
    }
}
