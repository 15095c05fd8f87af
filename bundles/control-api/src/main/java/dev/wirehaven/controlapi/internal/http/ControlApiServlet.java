package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.controlapi.internal.tls.HttpsEndpoint;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.FlowException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API, version 1, on the jakarta Servlet Whiteboard of Felix HTTP: every path and method of
 * {@code docs/control-api.md}, each bound to one step of the {@link ControlPlane}.
 *
 * <p>This layer decides nothing about the flow. It refuses what is not a well-formed call before the
 * flow sees it, in this order: plain HTTP (403, so that tokens and passwords are refused where they
 * would travel in clear), unknown path (404) or method (405), missing or garbled bearer token (401),
 * wrong media type (415), oversized body (413), a body that does not arrive within its deadline (408),
 * body or query that does not bind (400), and no flow to serve the call (503). A refused step of the
 * flow keeps the status and code its {@link FlowException} names (with {@code Retry-After} when it says
 * when to try again). Any other failure is a 500 with a generic message and the stack trace in the
 * log; bad input never causes one.
 *
 * <p>A body is read by a {@link BodyReader}: the request is suspended while the body arrives, so that
 * a slow client holds no request thread, and the whole body must be in within the flow's
 * {@link ControlPlane#bodyTimeout()} (its default while no flow runs). The step then runs on the
 * container thread that delivered the body's end.
 *
 * <p>The client's address is the connection's peer ({@link HttpServletRequest#getRemoteAddr()}):
 * no forwarding header is trusted, so a client cannot choose the address its rate limit is kept under.
 * Refusals are logged at DEBUG with their status and message; bodies are never logged.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ControlApiServlet.PATTERN)
@HttpWhiteboardServletName("wirehaven-control-api")
@HttpWhiteboardServletAsyncSupported(asyncSupported = true)
public final class ControlApiServlet extends HttpServlet {

    static final String PATTERN = "/api/v1/*";
    /** The servlet path of every request this servlet gets: its pattern without the wildcard. */
    static final String SERVLET_PATH = PATTERN.substring(0, PATTERN.length() - 2);

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServlet.class);

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile ControlPlane controlPlane;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile HttpsEndpoint httpsEndpoint;

    private final transient JsonBodies json = new JsonBodies();
    private final transient ApiResponses responses = new ApiResponses(json);
    private final transient PolicyLongPoll longPoll = new PolicyLongPoll(responses);

    /** The clock of the body deadlines; the tests set their own before the container initialises the servlet. */
    transient volatile DeadlineTimer timer;

    private transient ScheduledExecutorService ownTimer;

    @Override
    public void init() {
        if (timer == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "wirehaven-api-body-deadlines");
                t.setDaemon(true);
                return t;
            });
            // a deadline is cancelled when its body arrives in time, which is nearly always: drop it at once
            executor.setRemoveOnCancelPolicy(true);
            ownTimer = executor;
            timer = DeadlineTimer.on(executor);
        }
    }

    /**
     * Stops the servlet's own timer. The container may initialise the same instance again (the Servlet
     * Whiteboard does so whenever Felix HTTP restarts Jetty), and {@link #init()} then makes a new one.
     */
    @Override
    public void destroy() {
        if (ownTimer != null) {
            ownTimer.shutdownNow();
            ownTimer = null;
            timer = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, () -> handle(request, response));
    }

    /** The work of one exchange, which may refuse it. */
    @FunctionalInterface
    private interface Exchange {
        void run() throws ApiRefusal, FlowException, IOException;
    }

    /** Runs {@code exchange} and answers what it refused with its status and ApiError. */
    private void answer(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
            throws IOException {
        try {
            exchange.run();
        } catch (ApiRefusal refusal) {
            refuse(request, response, refusal);
        } catch (FlowException e) {
            refuse(request, response, ApiRefusal.of(e));
        } catch (RuntimeException e) {
            LOG.error(
                    "Control API {} {} from {} failed",
                    request.getMethod(),
                    request.getRequestURI(),
                    request.getRemoteAddr(),
                    e);
            responses.refuse(response, ApiRefusal.internal());
        } catch (IOException e) {
            // the client gave up or closed before its answer was written: nobody is left to answer, and
            // under a burst of clients an ERROR with a stack per connection would bury the real ones
            LOG.debug(
                    "Control API {} {} from {}: the answer did not reach the client: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    request.getRemoteAddr(),
                    e.toString());
        }
    }

    private void handle(HttpServletRequest request, HttpServletResponse response)
            throws ApiRefusal, FlowException, IOException {
        if (!request.isSecure()) {
            throw plainHttp();
        }
        ApiRoute.Match match = ApiRoute.match(request.getMethod(), request.getPathInfo());
        ApiRoute route = match.route();
        String token = route.needsToken() ? BearerToken.from(request.getHeader("Authorization")) : null;
        // the servlet path is the pattern's (read from the request, it is gone once the request is suspended
        // for its body); the context path is Felix HTTP's, "" unless its configuration sets one
        String apiPath = request.getContextPath() + SERVLET_PATH;
        if (route.bodyType() == null) {
            PolicyLongPoll.Query poll = route == ApiRoute.POLICY ? PolicyLongPoll.Query.from(request) : null;
            step(request, response, match, token, apiPath, null, poll);
            return;
        }
        JsonBodies.checkHeaders(request);
        ControlPlane current = controlPlane;
        Duration timeout = current == null ? ControlPlane.DEFAULT_BODY_TIMEOUT : current.bodyTimeout();
        BodyReader.read(
                request,
                timeout,
                timer,
                (bytes, refusal) -> answer(request, response, () -> {
                    if (refusal != null) {
                        throw refusal;
                    }
                    step(request, response, match, token, apiPath, json.bind(bytes, route.bodyType()), null);
                }));
    }

    /**
     * Hands a well-formed call to its step of the flow and sends the step's answer.
     *
     * @param apiPath the path of the API's root, such as {@code /api/v1}
     */
    private void step(
            HttpServletRequest request,
            HttpServletResponse response,
            ApiRoute.Match match,
            String token,
            String apiPath,
            Object body,
            PolicyLongPoll.Query poll)
            throws ApiRefusal, FlowException, IOException {
        ApiRoute route = match.route();
        String id = match.sessionId();
        ControlPlane plane = controlPlane;
        if (plane == null) {
            throw ApiRefusal.unavailable("The session service is not running: it needs a WireGuard interface"
                    + " (etc/dev.wirehaven.wireguard.interface-wg0.cfg, made from the .cfg.example beside it) and"
                    + " the session settings (etc/dev.wirehaven.server.sessions.cfg). Try again once the server"
                    + " log says the interface is up.");
        }
        switch (route) {
            case REQUEST_CONNECTION -> {
                AuthChallenge challenge = plane.requestConnection((ConnectionRequest) body, source(request));
                response.setHeader("Location", apiPath + "/sessions/" + challenge.sessionId());
                responses.send(response, HttpServletResponse.SC_CREATED, challenge);
            }
            case AUTHENTICATE ->
                responses.send(
                        response,
                        HttpServletResponse.SC_OK,
                        plane.authenticate(id, (AuthResponse) body, source(request)));
            case SERVER_CONFIG ->
                responses.send(
                        response, HttpServletResponse.SC_OK, plane.serverConfig(id, token, requestHost(request)));
            case CLIENT_CONFIG ->
                responses.send(response, HttpServletResponse.SC_OK, plane.clientConfig(id, token, (ClientConfig) body));
            case CONFIRM ->
                responses.send(response, HttpServletResponse.SC_OK, plane.confirm(id, token, (SetupConfirmation) body));
            case REPORT ->
                responses.send(response, HttpServletResponse.SC_OK, plane.report(id, token, (StatusReport) body));
            case STATUS -> responses.send(response, HttpServletResponse.SC_OK, plane.status(id, token));
            case POLICY ->
                longPoll.await(request, plane.policyAfter(id, token, poll.after(), poll.maxWait()), poll.maxWait(), id);
            case POLICY_ACK -> {
                plane.acknowledgePolicy(id, token, (PolicyAck) body);
                responses.noContent(response);
            }
            case REAUTHENTICATE ->
                responses.send(
                        response,
                        HttpServletResponse.SC_OK,
                        plane.reauthenticate(id, token, (AuthResponse) body, source(request)));
            case STEP_UP ->
                responses.send(
                        response,
                        HttpServletResponse.SC_OK,
                        plane.stepUp(id, token, (AuthResponse) body, source(request)));
            case ACCESS ->
                responses.send(
                        response, HttpServletResponse.SC_OK, plane.requestAccess(id, token, (ResourceRequest) body));
            case DISCONNECT -> responses.send(response, HttpServletResponse.SC_OK, plane.disconnect(id, token));
            default -> throw new IllegalStateException("no handler for " + route);
        }
    }

    private ApiRefusal plainHttp() {
        HttpsEndpoint https = httpsEndpoint;
        return ApiRefusal.httpsRequired(
                https == null
                        ? "The control API answers only over HTTPS, and HTTPS is not running: see the server log and"
                                + " etc/dev.wirehaven.server.tls.cfg"
                        : "The control API answers only over HTTPS, so that tokens and passwords never travel in clear:"
                                + " use https://<server>:" + https.port() + "/api/v1");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, ApiRefusal refusal)
            throws IOException {
        LOG.debug(
                "Refused {} {} from {}: {} {}",
                request.getMethod(),
                request.getRequestURI(),
                request.getRemoteAddr(),
                refusal.status(),
                refusal.getMessage());
        responses.refuse(response, refusal);
    }

    /** The connection's peer; the container gives it as an IP literal, which is parsed, never looked up. */
    static InetAddress source(HttpServletRequest request) {
        String remote = withoutBrackets(request.getRemoteAddr());
        if (!IpLiterals.isIpLiteral(remote)) {
            throw new IllegalStateException("the container gave no IP literal as the client's address: " + remote);
        }
        try {
            return InetAddress.getByName(remote);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the container gave no IP literal as the client's address: " + remote, e);
        }
    }

    /** The host of the Host header (IPv6 without brackets), the endpoint's host when none is configured. */
    static String requestHost(HttpServletRequest request) {
        return withoutBrackets(request.getServerName());
    }

    private static String withoutBrackets(String host) {
        if (host != null && host.length() > 1 && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }
}
