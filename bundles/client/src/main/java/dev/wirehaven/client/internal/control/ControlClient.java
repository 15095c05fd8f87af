package dev.wirehaven.client.internal.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirehaven.api.control.ApiError;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.internal.trust.CertificateNotTrustedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The control API of docs/control-api.md, one method per call, over {@link HttpClient} with the
 * pinned certificate's {@link SSLContext}. Every error answer becomes a {@link ControlApiException}
 * carrying the server's {@link ApiError}; an untrusted certificate and an unreachable server become
 * a {@link ClientException} whose message says which, and what was tried.
 *
 * <p>Thread-safe; one instance serves every connection to the same server. A connection calls through its
 * own {@link #forConnection() view}, which shares the HTTP client and the pinned TLS context but has its
 * own target: when the connection moves to another gateway node of the cluster, {@link #moveTo} points
 * that view's calls at the node's control API (every node presents the cluster's one certificate, so
 * the pin holds; a URL a server names can therefore never receive the token unless it proves the pinned
 * key).
 */
public final class ControlClient {

    private static final String JSON = "application/json";
    private static final String API = "/api/v1/sessions";
    /** Extra time over the requested long-poll wait before the client stops waiting for the answer. */
    private static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(30);
    /** Longest error text taken from an answer that is not an ApiError. */
    private static final int MAX_FOREIGN_ERROR = 200;
    /**
     * Largest answer read from the server: 1 MiB. The largest honest answer is a server config or a policy
     * update with its routes, a few KiB even with a thousand prefixes; 1 MiB leaves room for any growth of
     * the protocol and still bounds what a hostile or broken server can make the client hold (every call,
     * the long poll included, may be in flight at once). A longer answer is refused unread.
     */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Longest string in an answer (a message, a prompt, a name, an approval link): 8 Ki characters, far
     * above any of them, so that no single value of a server's answer can be a flood on the terminal, in
     * the log or in the state file. Names used as names (DNS, routes) are checked closer by
     * {@code ServerSettingsCheck}.
     */
    static final int MAX_STRING_CHARS = 8 * 1024;
    /** Deepest nesting of an answer: the protocol's records nest three levels; a flood of brackets stops here. */
    private static final int MAX_NESTING = 32;

    /** The server the client was made for. */
    private final URI home;
    /** Where the calls go now: {@link #home}, or the gateway a connection's view moved to. */
    private volatile URI server;
    /** Only a connection's view may move; the shared instance always calls {@link #home}. */
    private final boolean movable;

    private final HttpClient http;
    private final SSLContext ssl;
    private final ObjectMapper json;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final String userAgent;

    public ControlClient(
            URI server, SSLContext ssl, Duration connectTimeout, Duration requestTimeout, String userAgent) {
        this.home = server;
        this.server = server;
        this.movable = false;
        this.json = boundedMapper();
        this.ssl = ssl;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(connectTimeout)
                // HTTP/1.1: the server's Jetty speaks it everywhere; a long poll holds one connection either way
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A view for one connection: the same HTTP client, TLS context and timeouts, its own target. */
    private ControlClient(ControlClient shared) {
        this.home = shared.home;
        this.server = shared.home;
        this.movable = true;
        this.http = shared.http;
        this.ssl = shared.ssl;
        this.json = shared.json;
        this.connectTimeout = shared.connectTimeout;
        this.requestTimeout = shared.requestTimeout;
        this.userAgent = shared.userAgent;
    }

    /** A view of this client for one connection, calling the server the client was made for until moved. */
    public ControlClient forConnection() {
        return new ControlClient(this);
    }

    /**
     * Sends this view's calls to {@code controlUrl} from now on (another gateway of the cluster); calls
     * in flight finish where they went.
     *
     * @throws IllegalStateException on the shared instance, which serves every connection
     */
    public void moveTo(URI controlUrl) {
        if (!movable) {
            throw new IllegalStateException("only a connection's view of the control client can move");
        }
        URI u = controlUrl;
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("a control API is an https URL with a host, not " + u);
        }
        server = u;
    }

    /** Sends this view's calls to the server the client was made for again. */
    public void moveHome() {
        server = home;
    }

    /** Where the calls go now. */
    public URI server() {
        return server;
    }

    /** The server the client was made for. */
    public URI home() {
        return home;
    }

    /** The context that trusts only the pinned certificate, for the diagnosis's own TLS probe. */
    public SSLContext sslContext() {
        return ssl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Step 1: {@code POST /api/v1/sessions}, answered with 201 and the challenge. */
    public AuthChallenge requestSession(ConnectionRequest request) throws IOException {
        return send("connection request", post(API, null, request), AuthChallenge.class);
    }

    /** Steps 2-4: {@code POST /api/v1/sessions/{id}/auth}. */
    public SessionGrant authenticate(String sessionId, AuthResponse response) throws IOException {
        return send("authentication", post(path(sessionId, "/auth"), null, response), SessionGrant.class);
    }

    /** {@code POST /api/v1/sessions/{id}/reauth}: a new token and expiry, the tunnel kept. */
    public SessionGrant reauthenticate(String sessionId, String token, AuthResponse response) throws IOException {
        return send("re-authentication", post(path(sessionId, "/reauth"), token, response), SessionGrant.class);
    }

    /**
     * {@code POST /api/v1/sessions/{id}/step-up} (protocol 1.1): the one more factor that a policy asks
     * of the live session ({@link SessionStatus#stepUp()}); the tunnel stays up whatever the answer.
     */
    public SessionStatus stepUp(String sessionId, String token, AuthResponse response) throws IOException {
        return send("step-up", post(path(sessionId, "/step-up"), token, response), SessionStatus.class);
    }

    /**
     * {@code POST /api/v1/sessions/{id}/access} (protocol 1.1, seed use case 2): one resource asked for
     * during the session, answered with its grant; a refusal is a {@link ControlApiException}: 403
     * {@code forbidden} (the policy denies it), 401 {@code step_up_required} with the methods and prompts
     * of the further factor to give first ({@link ControlApiException#stepUpRequired()}), 409
     * {@code out_of_order} before the session is configured.
     */
    public ResourceGrant requestAccess(String sessionId, String token, ResourceRequest request) throws IOException {
        return send("resource request", post(path(sessionId, "/access"), token, request), ResourceGrant.class);
    }

    /** Step 5: {@code GET /api/v1/sessions/{id}/server-config}. */
    public ServerConfig serverConfig(String sessionId, String token) throws IOException {
        return send("server config", get(path(sessionId, "/server-config"), token, requestTimeout), ServerConfig.class);
    }

    /** Steps 6-7: {@code PUT /api/v1/sessions/{id}/client-config}. */
    public SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws IOException {
        HttpRequest request = builder(path(sessionId, "/client-config"), token, requestTimeout)
                .header("Content-Type", JSON)
                .PUT(body(config))
                .build();
        return send("client config", request, SessionStatus.class);
    }

    /** Steps 8-9: {@code POST /api/v1/sessions/{id}/confirm}. */
    public SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws IOException {
        return send("setup confirmation", post(path(sessionId, "/confirm"), token, confirmation), SessionStatus.class);
    }

    /** Keep-alive and metrics: {@code POST /api/v1/sessions/{id}/status}; the answer is the pong. */
    public SessionStatus report(String sessionId, String token, StatusReport report) throws IOException {
        return send("status report", post(path(sessionId, "/status"), token, report), SessionStatus.class);
    }

    /** {@code GET /api/v1/sessions/{id}}. */
    public SessionStatus status(String sessionId, String token) throws IOException {
        return send("session status", get(path(sessionId, ""), token, requestTimeout), SessionStatus.class);
    }

    /**
     * The policy long poll, {@code GET /api/v1/sessions/{id}/policy?after=N&wait=S}, without holding
     * a thread while the server waits: completes with the update, or empty when the server answered
     * 204 (nothing newer within the wait), or exceptionally as {@link #send} fails.
     */
    public CompletableFuture<Optional<PolicyUpdate>> pollPolicy(
            String sessionId, String token, long after, Duration wait) {
        long seconds = Math.max(0, Math.min(60, wait.toSeconds()));
        HttpRequest request = get(
                path(sessionId, "/policy?after=" + after + "&wait=" + seconds),
                token,
                Duration.ofSeconds(seconds).plus(LONG_POLL_MARGIN));
        return http.sendAsync(request, body("policy poll")).handle((response, failure) -> {
            if (failure != null) {
                throw new CompletionException(translate("policy poll", unwrap(failure)));
            }
            try {
                return Optional.ofNullable(read("policy poll", response, PolicyUpdate.class));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** {@code POST /api/v1/sessions/{id}/policy-ack}, answered with 204. */
    public void acknowledge(String sessionId, String token, PolicyAck ack) throws IOException {
        send("policy acknowledgement", post(path(sessionId, "/policy-ack"), token, ack), Void.class);
    }

    /** The disconnection request, {@code DELETE /api/v1/sessions/{id}}: peer removed, lease released. */
    public SessionStatus disconnect(String sessionId, String token, Duration timeout) throws IOException {
        HttpRequest request =
                builder(path(sessionId, ""), token, timeout).DELETE().build();
        return send("disconnection", request, SessionStatus.class);
    }

    // ---- plumbing ----

    private <T> T send(String call, HttpRequest request, Class<T> type) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, body(call));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Reason.CANCELLED, call + " to " + server + " was interrupted", e);
        } catch (IOException e) {
            throw translate(call, e);
        }
        return read(call, response, type);
    }

    private <T> T read(String call, HttpResponse<byte[]> response, Class<T> type) throws IOException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (status == 204 || type == Void.class) {
                return null;
            }
            try {
                return json.readValue(response.body(), type);
            } catch (JsonProcessingException e) {
                throw notValid(call, type, e.getOriginalMessage(), e);
            } catch (IOException e) {
                // Jackson reads a byte array here: what is left is the body's encoding (a CharConversionException
                // for bytes that look like UTF-32 but are not; found by ControlClientFuzzTest)
                throw notValid(call, type, e.getMessage(), e);
            }
        }
        throw new ControlApiException(call, status, apiError(status, response), retryAfter(response));
    }

    private ClientException notValid(String call, Class<?> type, String why, IOException cause) {
        return new ClientException(
                ClientException.Reason.REFUSED,
                call + ": the server's answer is not a valid " + type.getSimpleName() + " (" + why + "); is " + server
                        + " a Wirehaven server of a compatible version?",
                cause);
    }

    private ApiError apiError(int status, HttpResponse<byte[]> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            try {
                ApiError error = json.readValue(response.body(), ApiError.class);
                if (error != null) {
                    return error;
                }
            } catch (StreamConstraintsException e) {
                return ApiError.of(
                        "http_" + status,
                        "an error answer with a value longer than " + MAX_STRING_CHARS + " characters (not shown)");
            } catch (IOException | IllegalArgumentException e) {
                // not an ApiError after all: reported as text below
            }
        }
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_FOREIGN_ERROR) {
            text = text.substring(0, MAX_FOREIGN_ERROR) + "...";
        }
        return ApiError.of("http_" + status, text.isEmpty() ? "HTTP status " + status + " without a message" : text);
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * A failure to talk to the server at all, as a sentence with the cause that a person can check. An
     * interrupted call is {@link ClientException.Reason#CANCELLED}, but a timeout is not an interruption
     * even where it is an {@link InterruptedIOException} ({@link SocketTimeoutException}): the server did
     * not answer in time, which is {@link ClientException.Reason#UNREACHABLE}. (The HttpClient's own
     * {@link HttpTimeoutException} is no InterruptedIOException, so it needs no such care.)
     */
    IOException translate(String call, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateNotTrustedException untrusted) {
                return new ClientException(
                        ClientException.Reason.UNTRUSTED_CERTIFICATE, untrusted.getMessage(), failure);
            }
            if (t instanceof ClientException ce) {
                return ce;
            }
        }
        if (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException)) {
            return new ClientException(
                    ClientException.Reason.CANCELLED, call + " to " + server + " was interrupted", failure);
        }
        return new ClientException(
                ClientException.Reason.UNREACHABLE,
                "cannot reach " + server + " (" + call + "): " + describe(failure),
                failure);
    }

    private String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "the name " + server.getHost() + " does not resolve";
            }
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return "no TCP connection within " + connectTimeout.toSeconds() + " s";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (failure instanceof ConnectException) {
            return "the TCP connection failed"
                    + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
        }
        if (failure instanceof SSLException) {
            return "TLS failed: " + failure.getMessage();
        }
        String m = failure.getMessage();
        return failure.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** The answer's body, at most {@link #MAX_BODY_BYTES}; more is refused (and not read) as not a control API answer. */
    private HttpResponse.BodyHandler<byte[]> body(String call) {
        return BoundedBody.handler(
                MAX_BODY_BYTES,
                () -> new ClientException(
                        ClientException.Reason.REFUSED,
                        call + ": the answer of " + server + " is more than 1 MiB, far more than any answer of the"
                                + " control API; refused without reading the rest"));
    }

    /** The control records' mapper, reading no string, name or nesting beyond the bounds above. */
    private static ObjectMapper boundedMapper() {
        ObjectMapper m = Json.mapper();
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_STRING_CHARS)
                        .maxNameLength(256)
                        .maxNestingDepth(MAX_NESTING)
                        .maxDocumentLength(MAX_BODY_BYTES)
                        .build());
        return m;
    }

    private HttpRequest post(String path, String token, Object body) {
        return builder(path, token, requestTimeout)
                .header("Content-Type", JSON)
                .POST(body(body))
                .build();
    }

    private HttpRequest get(String path, String token, Duration timeout) {
        return builder(path, token, timeout).GET().build();
    }

    private HttpRequest.Builder builder(String path, String token, Duration timeout) {
        // the paths are absolute (/api/v1/...): a control URL's own path is dropped, as the home server's always was
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .timeout(timeout)
                .header("Accept", JSON)
                .header("User-Agent", userAgent);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a control record cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String path(String sessionId, String rest) {
        return API + "/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8) + rest;
    }
}
