package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The calls of the control API, version 1 ({@code docs/control-api.md}): each a method on a resource
 * under {@code /api/v1}, with the body it takes and whether it needs the session token.
 */
enum ApiRoute {

    /** Step 1: {@code POST /sessions}. */
    REQUEST_CONNECTION("POST", Resource.SESSIONS, null, ConnectionRequest.class, false),
    /** Steps 3-4: {@code POST /sessions/{id}/auth}. */
    AUTHENTICATE("POST", Resource.SESSION_PART, "auth", AuthResponse.class, false),
    /** Step 5: {@code GET /sessions/{id}/server-config}. */
    SERVER_CONFIG("GET", Resource.SESSION_PART, "server-config", null, true),
    /** Steps 6-7: {@code PUT /sessions/{id}/client-config}. */
    CLIENT_CONFIG("PUT", Resource.SESSION_PART, "client-config", ClientConfig.class, true),
    /** Steps 8-9: {@code POST /sessions/{id}/confirm}. */
    CONFIRM("POST", Resource.SESSION_PART, "confirm", SetupConfirmation.class, true),
    /** Keep-alive with metrics: {@code POST /sessions/{id}/status}. */
    REPORT("POST", Resource.SESSION_PART, "status", StatusReport.class, true),
    /** {@code GET /sessions/{id}}. */
    STATUS("GET", Resource.SESSION, null, null, true),
    /** Long poll: {@code GET /sessions/{id}/policy?after=N&wait=S}. */
    POLICY("GET", Resource.SESSION_PART, "policy", null, true),
    /** {@code POST /sessions/{id}/policy-ack}. */
    POLICY_ACK("POST", Resource.SESSION_PART, "policy-ack", PolicyAck.class, true),
    /** {@code POST /sessions/{id}/step-up}: one more factor that a policy asks of a live session. */
    STEP_UP("POST", Resource.SESSION_PART, "step-up", AuthResponse.class, true),
    /** {@code POST /sessions/{id}/access}: a resource asked for during a live session (seed UC2). */
    ACCESS("POST", Resource.SESSION_PART, "access", ResourceRequest.class, true),
    /** {@code POST /sessions/{id}/reauth}. */
    REAUTHENTICATE("POST", Resource.SESSION_PART, "reauth", AuthResponse.class, true),
    /** {@code DELETE /sessions/{id}}. */
    DISCONNECT("DELETE", Resource.SESSION, null, null, true);

    /** The kinds of path under {@code /api/v1}. */
    private enum Resource {
        SESSIONS,
        SESSION,
        SESSION_PART
    }

    /** What a session id may look like; anything else cannot name a session and is not looked up. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final String method;
    private final Resource resource;
    private final String part;
    private final Class<?> bodyType;
    private final boolean needsToken;

    ApiRoute(String method, Resource resource, String part, Class<?> bodyType, boolean needsToken) {
        this.method = method;
        this.resource = resource;
        this.part = part;
        this.bodyType = bodyType;
        this.needsToken = needsToken;
    }

    /** The type of the JSON body, or {@code null} for a call without one. */
    Class<?> bodyType() {
        return bodyType;
    }

    boolean needsToken() {
        return needsToken;
    }

    /** A request matched to its call. */
    record Match(ApiRoute route, String sessionId) {}

    /**
     * The call that a method and a path below {@code /api/v1} name.
     *
     * @param pathInfo the decoded path after {@code /api/v1}, such as {@code /sessions/abc/auth}; may be null
     * @throws ApiRefusal 404 for a path the API does not have, 405 for a method the path does not take
     */
    static Match match(String method, String pathInfo) throws ApiRefusal {
        String path = pathInfo == null ? "" : pathInfo;
        String[] segments = path.split("/", -1);
        // "/sessions/x/auth" splits into "", "sessions", "x", "auth"
        if (segments.length < 2 || segments.length > 4 || !segments[0].isEmpty() || !"sessions".equals(segments[1])) {
            throw unknownPath();
        }
        Resource resource = segments.length == 2
                ? Resource.SESSIONS
                : segments.length == 3 ? Resource.SESSION : Resource.SESSION_PART;
        String sessionId = segments.length > 2 ? segments[2] : null;
        String part = segments.length == 4 ? segments[3] : null;
        List<String> allowed = new ArrayList<>();
        ApiRoute found = null;
        for (ApiRoute route : values()) {
            if (route.resource == resource && (part == null || part.equals(route.part))) {
                allowed.add(route.method);
                if (route.method.equals(method)) {
                    found = route;
                }
            }
        }
        if (allowed.isEmpty()) {
            throw unknownPath();
        }
        if (sessionId != null && !SESSION_ID.matcher(sessionId).matches()) {
            throw ApiRefusal.notFound("No such session; a session id is what POST /api/v1/sessions answered");
        }
        if (found == null) {
            throw ApiRefusal.methodNotAllowed(method, allowed);
        }
        return new Match(found, sessionId);
    }

    private static ApiRefusal unknownPath() {
        return ApiRefusal.notFound(
                "No such path in the control API v1; see docs/control-api.md" + " (paths start with /api/v1/sessions)");
    }
}
