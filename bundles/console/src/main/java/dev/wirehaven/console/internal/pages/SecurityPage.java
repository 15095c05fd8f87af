package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import dev.wirehaven.console.internal.sink.ConsoleSink;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Console page {@code /system/console/wirehaven-security}: the security responses in force and recent
 * ones, Undo for a lasting one, a form to block an address or prefix for a while, and the latest
 * security events (kept by this bundle's own {@link ConsoleSink}). Works without the responses bundle
 * (it says so, and still lists the events).
 */
@Component(
        service = Servlet.class,
        property = {
            ServletConstants.PLUGIN_LABEL + "=" + SecurityPage.LABEL,
            ServletConstants.PLUGIN_TITLE + "=Security",
            ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY
        })
public final class SecurityPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "wirehaven-security";

    /** Form fields: which action, and the block's parts. */
    static final String OP = "op";

    static final String BLOCK = "block";
    static final String UNDO = "undo";
    static final String TARGET = "target";
    static final String DURATION = "duration";
    static final String REASON = "reason";

    static final int RECENT = 50;

    static final int MAX_REASON = 200;

    private static final String DEFAULT_REASON = "blocked by an operator";

    private static final Map<String, String> OUTCOMES = Map.of(
            "blocked", "The block is in force.",
            "refused", "The server did not block it: the target is on the allow-list (see Recent responses).",
            "invalid",
                    "Not blocked: give an address or prefix (192.0.2.7, 192.0.2.0/24) and a duration such as 10m,"
                            + " 2h or 7d.",
            "undone", "The response was undone.",
            "gone", "That response is no longer in force.",
            "unavailable", "The security responses bundle is not installed: nothing was changed.");

    private final transient ConsoleSink sink;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile SecurityResponses responses;

    @Activate
    public SecurityPage(@Reference(name = "sink") ConsoleSink sink, @Reference(name = "tokens") CsrfTokens tokens) {
        this(sink, Clock.systemUTC(), tokens);
    }

    SecurityPage(ConsoleSink sink, Clock clock, CsrfTokens tokens) {
        super(LABEL, clock, tokens);
        this.sink = sink;
    }

    @Override
    String render(PageForm form, String notice) {
        SecurityResponses r = responses;
        return SecurityView.render(
                new SecurityView.Content(
                        r == null ? null : r.active(),
                        r == null ? null : r.recent(RECENT),
                        sink.events().newestFirst(),
                        sink.events().capacity(),
                        clock.instant()),
                form,
                notice);
    }

    @Override
    String act(HttpServletRequest request) {
        SecurityResponses r = responses;
        if (r == null) {
            return "unavailable";
        }
        String undo = request.getParameter(UNDO);
        if (undo != null) {
            return r.undo(undo, BY).isPresent() ? "undone" : "gone";
        }
        if (!BLOCK.equals(request.getParameter(OP))) {
            return "invalid";
        }
        String target = String.valueOf(request.getParameter(TARGET)).strip();
        Optional<Duration> duration = DurationText.parse(request.getParameter(DURATION));
        String reason = request.getParameter(REASON);
        if (target.isEmpty() || duration.isEmpty()) {
            return "invalid";
        }
        try {
            SecurityResponse done = r.apply(new ResponseRequest(
                    ResponseAction.BLOCK_SOURCE,
                    target,
                    duration.get(),
                    reason == null || reason.isBlank() ? DEFAULT_REASON : cut(reason.strip()),
                    BY));
            return done.state() == SecurityResponse.State.REFUSED ? "refused" : "blocked";
        } catch (IllegalArgumentException e) {
            return "invalid"; // not an address or prefix: the server said which form it takes
        }
    }

    /** A reason is a line for the audit log, not a document. */
    private static String cut(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
    }

    @Override
    Map<String, String> outcomes() {
        return OUTCOMES;
    }
}
