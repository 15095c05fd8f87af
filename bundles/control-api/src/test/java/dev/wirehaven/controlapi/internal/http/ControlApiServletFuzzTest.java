package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.ControlPlane;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The control API servlet on any request that reaches it: the answer is a 4xx with an {@code ApiError}
 * body (or a 2xx where the request happens to be valid), never a 500 and never an exception out of the
 * servlet (which would also be a 500: the servlet turns every other failure into one).
 *
 * <p>The servlet runs in a real Jetty 11 (as in {@link ControlApiOverHttpsTest}), through a {@link
 * LocalConnector}: Jetty parses each request from bytes in memory, and the servlet reads the body on
 * its suspended request as it does behind TLS, thousands of times a second instead of one TLS
 * handshake per input. A customizer marks the requests secure, which TLS does for the real connector.
 *
 * <p>An input is a request in a plain form that keeps the fuzzer on the servlet, not on Jetty's
 * request line: the first line is {@code METHOD /path}, header lines follow until an empty line (the
 * Authorization, Content-Type and other headers that the servlet parses), and the rest is the body.
 * The harness adds {@code Host} and the exact {@code Content-Length}, and leaves out header lines that
 * HTTP/1.1 cannot carry, which Jetty would refuse before the servlet sees them. What Jetty refuses
 * itself (a URI it cannot decode, say) may be a 4xx without an ApiError, but never a 5xx.
 *
 * <p>Regression mode runs {@code ControlApiServletFuzzTestInputs/request}: a valid call of every route
 * with a body, the GET and DELETE routes with tokens, and the refusals of {@code
 * ControlApiOverHttpsTest}. The policy long poll is answered at once (no newer policy, 204), so that its
 * query ({@code after}, {@code wait}) is fuzzed too.
 */
class ControlApiServletFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Server jetty;
    private static LocalConnector connector;

    @BeforeAll
    static void start() throws Exception {
        // logback without a configuration logs at DEBUG: Jetty's request handling and the servlet's refusals
        // (DEBUG by design) would be most of the work; the servlet's ERRORs (every 500) stay visible
        ((Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("dev.wirehaven.controlapi")).setLevel(Level.INFO);
        ControlApiServlet servlet = new ControlApiServlet();
        servlet.controlPlane = new AnsweringPlane();
        HttpConfiguration http = new HttpConfiguration();
        // what the TLS connector's SecureRequestCustomizer does: the servlet answers only "secure" requests
        http.addCustomizer((c, configuration, request) -> request.setSecure(true));
        jetty = new Server();
        connector = new LocalConnector(jetty, new HttpConnectionFactory(http));
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, ControlApiServlet.PATTERN);
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @FuzzTest(maxDuration = "5m")
    void request(byte[] input) throws Exception {
        byte[] request = httpRequest(input);
        ByteBuffer answer = connector.getResponse(ByteBuffer.wrap(request), 30, TimeUnit.SECONDS);
        assertTrue(answer != null && answer.hasRemaining(), "Jetty answered within 30 s");
        HttpTester.Response response = HttpTester.parseResponse(answer);
        int status = response.getStatus();
        String body = response.getContent();
        boolean servletAnswered = "no-store".equals(response.get("Cache-Control"));
        String exchange = status + " " + body + " for\n" + new String(request, StandardCharsets.ISO_8859_1);
        if (!servletAnswered) {
            // Jetty answered without the servlet: a request it refused before (a 4xx), or one outside
            // /api/v1/* that the context's default answers (404, or 501 for a method HttpServlet does not
            // know). An exception out of the servlet would be Jetty's 500.
            assertTrue(status >= 400 && status != 500 && status != 503, () -> exchange);
            return;
        }
        assertTrue((status >= 200 && status < 300) || (status >= 400 && status < 500), () -> exchange);
        if (status == 204) {
            return;
        }
        String type = response.get("Content-Type");
        assertTrue(type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json"), () -> type);
        JsonNode json = JSON.readTree(body);
        assertTrue(json != null && json.isObject(), body);
        if (status >= 400) {
            assertTrue(
                    json.path("error").isTextual()
                            && !json.get("error").asText().isEmpty(),
                    body);
            assertTrue(
                    json.path("message").isTextual()
                            && !json.get("message").asText().isEmpty(),
                    body);
        }
    }

    /** Found by the fuzzer (input policy-query-not-decodable): Jetty's BadMessageException became a 500. */
    @Test
    void aPolicyPollWhoseQueryCannotBeDecodedIsRefused400() throws Exception {
        String raw = "GET /api/v1/sessions/s1/policy?af%er=2 HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer token-1\r\nConnection: close\r\n\r\n";

        HttpTester.Response response = HttpTester.parseResponse(connector.getResponse(raw));

        assertEquals(400, response.getStatus(), response.getContent());
        JsonNode error = JSON.readTree(response.getContent());
        assertEquals("invalid_request", error.get("error").asText());
        assertTrue(error.get("message").asText().startsWith("The query cannot be decoded"), response.getContent());
    }

    /** Found by the fuzzer (input content-type-only-semicolons): an ArrayIndexOutOfBoundsException, a 500. */
    @Test
    void aContentTypeOfOnlySemicolonsIsRefused415() throws Exception {
        String raw = "POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: ;\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}";

        HttpTester.Response response = HttpTester.parseResponse(connector.getResponse(raw));

        assertEquals(415, response.getStatus(), response.getContent());
        assertEquals(
                "unsupported_media_type",
                JSON.readTree(response.getContent()).get("error").asText());
    }

    /** The HTTP/1.1 request of an input (see the class comment). */
    static byte[] httpRequest(byte[] input) {
        int end = 0;
        int lineStart = 0;
        String requestLine = null;
        StringBuilder headers = new StringBuilder();
        while (end < input.length) {
            if (input[end] != '\n') {
                end++;
                continue;
            }
            String line = new String(input, lineStart, end - lineStart, StandardCharsets.ISO_8859_1);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            end++;
            lineStart = end;
            if (requestLine == null) {
                requestLine = line;
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            header(line, headers);
        }
        byte[] body;
        if (requestLine == null) {
            requestLine = new String(input, StandardCharsets.ISO_8859_1);
            body = new byte[0];
        } else {
            body = Arrays.copyOfRange(input, lineStart, input.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = requestLine(requestLine) + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** {@code METHOD /path}: a method of capitals and a path of visible ASCII, POST /api/v1/sessions by default. */
    private static String requestLine(String line) {
        String[] parts = line.strip().split(" ", 2);
        String method = parts[0].matches("[A-Z]{1,10}") ? parts[0] : "POST";
        String path = parts.length > 1 ? parts[1].strip() : "";
        if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            path = "/api/v1/sessions";
        }
        return method + " " + path;
    }

    /** A header line as HTTP/1.1 can carry it; the ones the harness sets itself are left out. */
    private static void header(String line, StringBuilder headers) {
        int colon = line.indexOf(':');
        if (colon < 1) {
            return;
        }
        String name = line.substring(0, colon);
        String value = line.substring(colon + 1).strip();
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                || !value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("host")
                || lower.equals("content-length")
                || lower.equals("transfer-encoding")
                || lower.equals("connection")
                || lower.equals("expect")
                || lower.equals("upgrade")) {
            return;
        }
        headers.append(name).append(": ").append(value).append("\r\n");
    }

    /**
     * Answers every step with a valid message and keeps nothing: the servlet's part is to refuse what
     * does not bind and to write answers, the flow's checks have their own tests. (RecordingControlPlane
     * keeps every call, which a million inputs would fill the heap with.)
     */
    private static final class AnsweringPlane implements ControlPlane {

        private static final String KEY = RecordingControlPlane.KEY;
        private static final Instant EXPIRES = RecordingControlPlane.EXPIRES;

        private static SessionStatus status(SessionPhase phase) {
            return new SessionStatus("s1", phase, "alice", List.of("10.8.0.2/32"), EXPIRES, null, 10, 20, 1);
        }

        @Override
        public AuthChallenge requestConnection(ConnectionRequest request, InetAddress source) {
            return new AuthChallenge("s1", List.of("password"), EXPIRES);
        }

        @Override
        public SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) {
            return new SessionGrant(sessionId, "token-1", EXPIRES);
        }

        @Override
        public ServerConfig serverConfig(String sessionId, String token, String requestHost) {
            return new ServerConfig(
                    KEY,
                    requestHost + ":51820",
                    List.of("10.8.0.2/32"),
                    List.of("10.8.0.0/24"),
                    List.of(),
                    1420,
                    List.of("10.8.0.0/24"),
                    25,
                    KEY);
        }

        @Override
        public SessionStatus clientConfig(String sessionId, String token, ClientConfig config) {
            return status(SessionPhase.CONFIGURED);
        }

        @Override
        public SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) {
            return status(SessionPhase.ACTIVE);
        }

        @Override
        public SessionStatus status(String sessionId, String token) {
            return status(SessionPhase.ACTIVE);
        }

        @Override
        public SessionStatus report(String sessionId, String token, StatusReport report) {
            return status(SessionPhase.ACTIVE);
        }

        @Override
        public CompletionStage<Optional<PolicyUpdate>> policyAfter(
                String sessionId, String token, long afterVersion, Duration wait) {
            // nothing new: the servlet answers the poll at once instead of holding it
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public void acknowledgePolicy(String sessionId, String token, PolicyAck ack) {}

        @Override
        public SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source) {
            return new SessionGrant(sessionId, "token-2", EXPIRES);
        }

        @Override
        public SessionStatus stepUp(String sessionId, String token, AuthResponse response, InetAddress source) {
            return status(SessionPhase.ACTIVE);
        }

        @Override
        public ResourceGrant requestAccess(String sessionId, String token, ResourceRequest request) {
            return new ResourceGrant("tcp", "10.20.0.5", 22, EXPIRES, "rule git");
        }

        @Override
        public SessionStatus disconnect(String sessionId, String token) {
            return status(SessionPhase.DISCONNECTED);
        }
    }
}
