package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.PolicyAdministration;
import dev.wirehaven.api.policy.Protocol;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Console page {@code /system/console/wirehaven-policy}: the access policy in force (file, version, rules,
 * the text as loaded), why the file as it is now is not in force, a form that validates a candidate text
 * without applying it, and a form that asks which rule decides a flow, as {@code acl:show},
 * {@code acl:errors} and {@code acl:check} do in the shell. Works without a policy engine (it says so).
 *
 * <p>Both forms are POSTs through the form-token check, although neither changes the policy: the candidate
 * is a whole policy file, too large for a URL and not for the browser's history or the access log. The
 * answer must still follow post/redirect/get with a fixed outcome name, so the page keeps the last answer
 * of each form ({@link PolicyAnswers}) and shows it on the page the post redirects to.
 */
@Component(
        service = Servlet.class,
        property = {
            ServletConstants.PLUGIN_LABEL + "=" + PolicyPage.LABEL,
            ServletConstants.PLUGIN_TITLE + "=Policy",
            ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY
        })
public final class PolicyPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "wirehaven-policy";

    /** Form fields: which form, the candidate text, and the flow to check. */
    static final String OP = "op";

    static final String VALIDATE = "validate";
    static final String CHECK = "check";
    static final String CANDIDATE = "candidate";
    static final String USER = "user";
    static final String GROUPS = "groups";
    static final String ADDRESS = "address";
    static final String PROTOCOL = "protocol";
    static final String PORT = "port";

    /** Longer than any user or group name; a check is not a place for documents. */
    static final int MAX_NAME = 200;

    static final String VALIDATED = "The candidate below was checked as the engine checks the policy file."
            + " Nothing was applied: edit the policy file to change the policy.";
    static final String CHECKED = "The flow below was checked against the policy in force.";

    private static final Map<String, String> OUTCOMES = Map.of(
            "validated",
            VALIDATED,
            "checked",
            CHECKED,
            "invalid",
            "Not checked: give a user, an IP address (not a name) and, for tcp and udp, a port from 1 to" + " 65535.",
            "unavailable",
            "No policy engine is installed: nothing was validated or checked.");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile PolicyAdministration policy;

    private final transient PolicyAnswers answers;

    @Activate
    public PolicyPage(@Reference(name = "tokens") CsrfTokens tokens) {
        this(Clock.systemUTC(), tokens);
    }

    PolicyPage(Clock clock, CsrfTokens tokens) {
        super(LABEL, clock, tokens);
        this.answers = new PolicyAnswers();
    }

    @Override
    String render(PageForm form, String notice) {
        PolicyAdministration p = policy;
        if (p == null) {
            return PolicyView.render(PolicyView.Content.absent(clock.instant()), form, notice);
        }
        // an answer shows on the page that its post redirected to (whose notice is that outcome's), not later
        return PolicyView.render(
                new PolicyView.Content(
                        p.engine(),
                        p.inForce(),
                        p.rejection().orElse(null),
                        VALIDATED.equals(notice) ? answers.validation() : null,
                        CHECKED.equals(notice) ? answers.check() : null,
                        clock.instant()),
                form,
                notice);
    }

    @Override
    String act(HttpServletRequest request) {
        PolicyAdministration p = policy;
        if (p == null) {
            return "unavailable";
        }
        String op = request.getParameter(OP);
        if (VALIDATE.equals(op)) {
            String candidate = request.getParameter(CANDIDATE);
            candidate = candidate == null ? "" : candidate;
            answers.validated(new PolicyView.Validation(candidate, p.validate(candidate)));
            return "validated";
        }
        if (CHECK.equals(op)) {
            return check(p, request);
        }
        return "invalid";
    }

    private String check(PolicyAdministration p, HttpServletRequest request) {
        String user = field(request, USER);
        Set<String> groups = new TreeSet<>();
        for (String group : field(request, GROUPS).split(",")) {
            if (!group.isBlank()) {
                groups.add(group.strip());
            }
        }
        InetAddress address = address(field(request, ADDRESS));
        Protocol protocol = protocol(field(request, PROTOCOL));
        String portText = field(request, PORT);
        if (user.isEmpty()
                || user.length() > MAX_NAME
                || groups.stream().anyMatch(g -> g.length() > MAX_NAME)
                || address == null
                || protocol == null) {
            return "invalid";
        }
        int port;
        if (protocol.hasPorts()) {
            port = port(portText);
            if (port == 0) {
                return "invalid";
            }
        } else {
            port = 0; // icmp and other have no port: whatever the form held is not part of the flow
        }
        answers.checked(new PolicyView.Checked(
                user, groups, address, protocol, port, p.check(user, groups, address, protocol, port)));
        return "checked";
    }

    private static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.strip();
    }

    /** A literal address only: the console looks no name up. */
    private static InetAddress address(String text) {
        if (text.isEmpty() || text.contains("/")) {
            return null;
        }
        try {
            return IpPrefix.parse(text).address();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Protocol protocol(String text) {
        try {
            return Protocol.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** 1 to 65535, or 0 for anything else. */
    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    Map<String, String> outcomes() {
        return OUTCOMES;
    }
}
