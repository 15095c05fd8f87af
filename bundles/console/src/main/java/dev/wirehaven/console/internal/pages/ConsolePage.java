package dev.wirehaven.console.internal.pages;

import dev.wirehaven.console.internal.SafeLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Wirehaven pages of the console share: the console draws its frame (header, menu) around
 * {@link #render}; a GET gets the strict {@link ContentPolicy}; a POST must carry the admin's
 * {@link CsrfTokens form token} (ForgeryGuard has already checked its Origin), else it gets 403 and
 * changes nothing; a POST that passes does its action and redirects (303) back to the page, with an
 * outcome name that the page turns into one of its own fixed messages (nothing of the request is
 * echoed).
 */
abstract class ConsolePage extends AbstractServlet {

    private static final long serialVersionUID = 1L;

    static final String CATEGORY = "Wirehaven";

    /** Who acts, in the server's audit log, for whatever a console page does. */
    static final String BY = "an operator (console)";

    /**
     * The request attribute of the OSGi HTTP specification naming the authenticated user, which the
     * console's security provider sets.
     */
    static final String REMOTE_USER = "org.osgi.service.http.authentication.remote.user";

    static final String OUTCOME = "outcome";

    private static final Logger LOG = LoggerFactory.getLogger(ConsolePage.class);

    private final String label;
    final transient Clock clock;
    private final transient CsrfTokens tokens;

    ConsolePage(String label, Clock clock, CsrfTokens tokens) {
        this.label = label;
        this.clock = clock;
        this.tokens = tokens;
    }

    /** The page's content inside the console's frame. */
    abstract String render(PageForm form, String notice);

    /**
     * Carries out a POST whose token was right.
     *
     * @return the outcome's name, a key of {@link #outcomes()}
     */
    String act(HttpServletRequest request) {
        throw new UnsupportedOperationException("a page without forms is never asked to act");
    }

    /** The messages a page shows after its actions, by outcome name. */
    Map<String, String> outcomes() {
        return Map.of();
    }

    /** False for a page that only shows: it answers a POST with 405. */
    boolean hasForms() {
        return true;
    }

    /** Headers a page adds to its GET answer (before the console writes the frame). */
    void addHeaders(HttpServletResponse response) {}

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // setting headers leaves the answer to the console, which then draws its frame and renderContent
        response.setHeader(
                "Content-Security-Policy", ContentPolicy.header(FelixHeader.TEMPLATE, appRoot(request), label));
        response.setHeader("Cache-Control", "no-store");
        addHeaders(response);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = adminUser(request);
        PageForm form = new PageForm(pagePath(request), user == null ? "" : tokens.tokenFor(user));
        String notice = outcomes().getOrDefault(String.valueOf(request.getParameter(OUTCOME)), "");
        response.getWriter().write(render(form, notice));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!hasForms()) {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "GET, HEAD");
            response.setContentLength(0);
            return;
        }
        if (!tokens.verify(adminUser(request), request.getParameter(CsrfTokens.FIELD))) {
            LOG.warn(
                    "Refused a console form post to {} from {}: it does not carry the form token of the"
                            + " console's own page",
                    label,
                    SafeLog.text(request.getRemoteAddr()));
            byte[] body = "Refused: this form did not come from the Wirehaven console's own page.\n"
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        String outcome = act(request);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        // relative to the page's own URL (RFC 9110 allows it): the page's label and a fixed outcome name
        response.setHeader("Location", label + "?" + OUTCOME + "=" + outcome);
        response.setContentLength(0);
    }

    private String pagePath(HttpServletRequest request) {
        return appRoot(request) + "/" + label;
    }

    private static String appRoot(HttpServletRequest request) {
        Object root = request.getAttribute(ServletConstants.ATTR_APP_ROOT);
        return root instanceof String s ? s : request.getContextPath() + request.getServletPath();
    }

    /** The admin that the console's security provider let in; null if none (then no form passes). */
    private static String adminUser(HttpServletRequest request) {
        Object user = request.getAttribute(REMOTE_USER);
        return user instanceof String s && !s.isEmpty() ? s : request.getRemoteUser();
    }

    /** Felix's header template, read once from the console bundle, for the hashes of its inline scripts. */
    static final class FelixHeader {

        static final String TEMPLATE = read();

        private FelixHeader() {}

        private static String read() {
            try (InputStream in = AbstractServlet.class.getResourceAsStream("/templates/main_header.html")) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                LoggerFactory.getLogger(ConsolePage.class)
                        .warn(
                                "Cannot read the console's header template; its menu script will not run: {}",
                                e.toString());
                return "";
            }
        }
    }
}
