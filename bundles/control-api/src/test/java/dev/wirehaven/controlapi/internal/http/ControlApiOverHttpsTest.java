package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.controlapi.internal.http.RecordingControlPlane.Call;
import dev.wirehaven.controlapi.internal.tls.HttpsEndpoint;
import dev.wirehaven.controlapi.internal.tls.TestHttpsServer;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API servlet in a real Jetty 11 behind TLS, called with java.net.http over loopback, in
 * front of a control plane that records what reaches it: every call of docs/control-api.md reaches its
 * step with the right arguments, and every refusal has its status, its ApiError and never reaches it.
 */
class ControlApiOverHttpsTest {

    private static final String KEY = RecordingControlPlane.KEY;
    private static final String TOKEN = "token-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final RecordingControlPlane plane = new RecordingControlPlane();
    private final ControlApiServlet servlet = new ControlApiServlet();
    private TestHttpsServer server;

    @BeforeEach
    void start() throws Exception {
        servlet.controlPlane = plane;
        server = TestHttpsServer.start(data, false, context -> {
            FilterHolder guard = new FilterHolder(new LocalOnlyOutsideApi());
            guard.setAsyncSupported(true);
            context.addFilter(guard, "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, ControlApiServlet.PATTERN);
        });
        int port = server.httpsPort();
        servlet.httpsEndpoint = new HttpsEndpoint() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public String fingerprint() {
                return "AB:CD";
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    // --- the calls of docs/control-api.md ---------------------------------------------------------

    @Test
    void afterJettyRestartsTheServletReadsRequestBodiesAgain() throws Exception {
        // Felix HTTP restarts Jetty on every change of its configuration (the server's first start makes
        // one): the whiteboard then destroys the servlet and initialises the same instance again
        server.restartJetty();

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions",
                "{\"publicKey\":\"" + KEY + "\",\"requestedAddress\":null,\"deviceName\":\"laptop\"}",
                null);

        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void aConnectionRequestIsAnswered201WithTheChallengeAndItsLocation() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions",
                "{\"publicKey\":\"" + KEY + "\",\"requestedAddress\":null,\"deviceName\":\"laptop\"}",
                null);

        assertEquals(201, response.statusCode());
        assertEquals(
                "/api/v1/sessions/s1", response.headers().firstValue("Location").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals("s1", body.get("sessionId").asText());
        assertEquals("password", body.get("methods").get(0).asText());
        assertEquals("2026-11-25T22:00:00Z", body.get("expiresAt").asText(), "ISO-8601, not a number");
        assertEquals(
                List.of(new Call(
                        "requestConnection",
                        List.of(new ConnectionRequest(KEY, null, "laptop"), InetAddress.getByName("127.0.0.1")))),
                plane.calls());
    }

    @Test
    void authenticationAnswersTheGrantAndNoCacheMayKeepIt() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions/s1/auth",
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"pw\"}",
                null);

        assertEquals(200, response.statusCode());
        assertEquals("token-1", JSON.readTree(response.body()).get("token").asText());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(
                List.of(new Call(
                        "authenticate",
                        List.of(
                                "s1",
                                new AuthResponse("password", "alice", "pw", null, null),
                                InetAddress.getByName("127.0.0.1")))),
                plane.calls());
    }

    @Test
    void everyLaterStepReachesTheFlowWithTheSessionAndItsToken() throws Exception {
        String auth = "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"pw\"}";
        assertStep(
                "GET",
                "/api/v1/sessions/s1/server-config",
                null,
                200,
                new Call("serverConfig", List.of("s1", TOKEN, "127.0.0.1")));
        assertStep(
                "PUT",
                "/api/v1/sessions/s1/client-config",
                "{\"publicKey\":\"" + KEY + "\",\"allowedIps\":[]}",
                200,
                new Call("clientConfig", List.of("s1", TOKEN, new ClientConfig(KEY, List.of()))));
        assertStep(
                "POST",
                "/api/v1/sessions/s1/confirm",
                "{\"interfaceName\":\"wh0\"}",
                200,
                new Call("confirm", List.of("s1", TOKEN, new SetupConfirmation("wh0"))));
        assertStep(
                "POST",
                "/api/v1/sessions/s1/status",
                "{\"rxBytes\":1,\"txBytes\":2,\"handshakeAgeSeconds\":-1,\"latencyMillis\":7}",
                200,
                new Call("report", List.of("s1", TOKEN, new StatusReport(1, 2, -1, 7))));
        assertStep("GET", "/api/v1/sessions/s1", null, 200, new Call("status", List.of("s1", TOKEN)));
        assertStep(
                "POST",
                "/api/v1/sessions/s1/policy-ack",
                "{\"version\":3,\"applied\":true,\"detail\":\"\"}",
                204,
                new Call("acknowledgePolicy", List.of("s1", TOKEN, new PolicyAck(3, true, ""))));
        assertStep(
                "POST",
                "/api/v1/sessions/s1/reauth",
                auth,
                200,
                new Call(
                        "reauthenticate",
                        List.of(
                                "s1",
                                TOKEN,
                                new AuthResponse("password", "alice", "pw", null, null),
                                InetAddress.getByName("127.0.0.1"))));
        assertStep("DELETE", "/api/v1/sessions/s1", null, 200, new Call("disconnect", List.of("s1", TOKEN)));
    }

    @Test
    void theSessionStatusCarriesThePhaseAsItsName() throws Exception {
        HttpResponse<String> response = send("DELETE", "/api/v1/sessions/s1", null, TOKEN);

        JsonNode body = JSON.readTree(response.body());
        assertEquals("DISCONNECTED", body.get("phase").asText());
        assertTrue(body.get("lastHandshake").isNull());
    }

    @Test
    void theServerConfigIsForTheHostNameTheClientUsed() throws Exception {
        HttpResponse<String> response = send(
                URI.create("https://localhost:" + server.httpsPort() + "/api/v1/sessions/s1/server-config"),
                "GET",
                null,
                null,
                TOKEN);

        assertEquals(200, response.statusCode());
        assertEquals("localhost", plane.calls().get(0).arguments().get(2));
    }

    @Test
    void theClientAddressIsTheConnectionsPeerNotAForwardedHeader() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "192.0.2.1")
                .POST(BodyPublishers.ofString("{\"publicKey\":\"" + KEY + "\"}"))
                .build();

        assertEquals(
                201,
                server.client()
                        .send(request, HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        assertEquals(
                InetAddress.getByName("127.0.0.1"),
                plane.calls().get(0).arguments().get(1));
    }

    // --- the policy long poll ---------------------------------------------------------------------

    @Test
    void theLongPollAnswers200WithTheUpdateOnceTheFlowHasOne() throws Exception {
        CompletableFuture<HttpResponse<String>> pending = sendAsync("GET", "/api/v1/sessions/s1/policy?after=2&wait=5");
        PolicyUpdate update = new PolicyUpdate(
                3, List.of("10.8.0.0/24"), List.of("10.8.0.1"), 25, Instant.parse("2026-11-26T08:00:00Z"));

        plane.nextPoll().complete(Optional.of(update));

        HttpResponse<String> response = pending.get();
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(3, body.get("version").asLong());
        assertEquals("2026-11-26T08:00:00Z", body.get("reauthenticateBy").asText());
        assertEquals(List.of(new Call("policyAfter", List.of("s1", TOKEN, 2L, Duration.ofSeconds(5)))), plane.calls());
    }

    @Test
    void theLongPollAnswers204WhenTheWaitEndsWithoutAnUpdate() throws Exception {
        CompletableFuture<HttpResponse<String>> pending = sendAsync("GET", "/api/v1/sessions/s1/policy?after=3");

        plane.nextPoll().complete(Optional.empty());

        HttpResponse<String> response = pending.get();
        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        assertEquals(Duration.ofSeconds(30), plane.calls().get(0).arguments().get(3), "the default wait");
    }

    @Test
    void aLongPollThatTheFlowRefusesLaterKeepsItsStatus() throws Exception {
        CompletableFuture<HttpResponse<String>> pending =
                sendAsync("GET", "/api/v1/sessions/s1/policy?after=3&wait=60");

        plane.nextPoll().completeExceptionally(new FlowException(FlowFailure.EXPIRED, "The session expired"));

        HttpResponse<String> response = pending.get();
        assertEquals(401, response.statusCode());
        assertEquals("expired", JSON.readTree(response.body()).get("error").asText());
        assertEquals(
                ApiRefusal.BEARER_CHALLENGE,
                response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void aWaitOverSixtySecondsIsRefusedNamingTheParameter() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/sessions/s1/policy?after=1&wait=61", null, TOKEN);

        assertRefused(response, 400, "invalid_request");
        assertTrue(message(response).contains("'wait'"), message(response));
    }

    // --- refusals of the HTTP layer ---------------------------------------------------------------

    @Test
    void malformedJsonIs400() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/sessions", "{\"publicKey\": \"" + KEY, null);

        assertRefused(response, 400, "invalid_request");
        assertTrue(message(response).startsWith("The body is not valid JSON (line 1"), message(response));
    }

    @Test
    void anUnknownFieldIs400NamingIt() throws Exception {
        HttpResponse<String> response =
                send("POST", "/api/v1/sessions", "{\"publicKey\":\"" + KEY + "\",\"admin\":true}", null);

        assertRefused(response, 400, "invalid_request");
        assertEquals(
                "Unknown field 'admin' in ConnectionRequest; its fields are deviceName, publicKey,"
                        + " requestedAddress",
                message(response));
    }

    @Test
    void anInvalidValueIs400WithTheMessageThatNamesTheField() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/sessions", "{\"publicKey\":\"abc\"}", null);

        assertRefused(response, 400, "invalid_request");
        assertEquals("Invalid ConnectionRequest: publicKey is not a 32-byte key in standard base64", message(response));
    }

    @Test
    void aValueOfTheWrongTypeIs400NamingTheField() throws Exception {
        HttpResponse<String> response =
                send("POST", "/api/v1/sessions/s1/policy-ack", "{\"version\":\"3\",\"applied\":true}", TOKEN);

        assertRefused(response, 400, "invalid_request");
        assertEquals("Field 'version' of PolicyAck is missing or not a whole number", message(response));
    }

    @Test
    void aMissingNumberIs400NamingTheField() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/sessions/s1/status", "{\"rxBytes\":1}", TOKEN);

        assertRefused(response, 400, "invalid_request");
        assertTrue(message(response).startsWith("Field 'txBytes' of StatusReport"), message(response));
    }

    @Test
    void aBodyOverSixtyFourKibibytesIs413() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/sessions", padded(64 * 1024 + 1), null);

        assertRefused(response, 413, "too_large");
    }

    @Test
    void aBodyOverTheLimitWithoutContentLengthIs413() throws Exception {
        byte[] body = padded(200 * 1024).getBytes(StandardCharsets.UTF_8);
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        assertEquals(-1, chunked.contentLength(), "sent chunked, without Content-Length");

        HttpResponse<String> response = server.client()
                .send(
                        HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                                .header("Content-Type", "application/json")
                                .POST(chunked)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertRefused(response, 413, "too_large");
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] body = padded(64 * 1024).getBytes(StandardCharsets.UTF_8);
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));

        HttpResponse<String> response = server.client()
                .send(
                        HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                                .header("Content-Type", "application/json")
                                .POST(chunked)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode());
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> text =
                send(server.https("/api/v1/sessions"), "POST", "text/plain", "{\"publicKey\":\"" + KEY + "\"}", null);
        HttpResponse<String> latin1 = send(
                server.https("/api/v1/sessions"),
                "POST",
                "application/json; charset=ISO-8859-1",
                "{\"publicKey\":\"" + KEY + "\"}",
                null);
        HttpResponse<String> none =
                send(server.https("/api/v1/sessions"), "POST", null, "{\"publicKey\":\"" + KEY + "\"}", null);

        assertRefused(text, 415, "unsupported_media_type");
        assertRefused(latin1, 415, "unsupported_media_type");
        assertRefused(none, 415, "unsupported_media_type");
    }

    @Test
    void jsonWithTheUtf8CharsetIsAccepted() throws Exception {
        HttpResponse<String> response = send(
                server.https("/api/v1/sessions"),
                "POST",
                "Application/JSON; charset=\"UTF-8\"",
                "{\"publicKey\":\"" + KEY + "\"}",
                null);

        assertEquals(201, response.statusCode());
    }

    @Test
    void aMissingTokenIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/sessions/s1", null, null);

        assertRefused(response, 401, "unauthorized");
        assertEquals(
                "Bearer realm=\"wirehaven\"",
                response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void aGarbledAuthorizationHeaderIs401() throws Exception {
        for (String header : List.of("Basic YWxpY2U6cHc=", "Bearer", "Bearer a b", "Bearer <script>")) {
            HttpResponse<String> response = server.client()
                    .send(
                            HttpRequest.newBuilder(server.https("/api/v1/sessions/s1"))
                                    .header("Authorization", header)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertRefused(response, 401, "unauthorized");
            assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent(), header);
        }
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        for (String path : List.of(
                "/api/v1",
                "/api/v1/",
                "/api/v1/users",
                "/api/v1/sessions/s1/peers",
                "/api/v1/sessions/s1/auth/x",
                "/api/v1/sessions/s%20x",
                "/api/v1/sessions/")) {
            HttpResponse<String> response = send("GET", path, null, TOKEN);

            assertRefused(response, 404, "not_found");
        }
    }

    @Test
    void aMethodThePathDoesNotTakeIs405WithTheAllowedOnes() throws Exception {
        HttpResponse<String> response = send("PATCH", "/api/v1/sessions/s1", "{}", TOKEN);
        HttpResponse<String> get = send("GET", "/api/v1/sessions", null, null);

        assertRefused(response, 405, "method_not_allowed");
        assertEquals("GET, DELETE", response.headers().firstValue("Allow").orElse(null));
        assertRefused(get, 405, "method_not_allowed");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void plainHttpIs403NamingTheHttpsPort() throws Exception {
        HttpResponse<String> response = send(
                server.http("/api/v1/sessions"),
                "POST",
                "application/json",
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"pw\"}",
                null);

        assertRefused(response, 403, "forbidden");
        assertTrue(message(response).contains("https://<server>:" + server.httpsPort() + "/api/v1"), message(response));
    }

    // --- refusals of the flow ---------------------------------------------------------------------

    @Test
    void aStepOutOfOrderIs409WithTheFlowsMessage() throws Exception {
        plane.failWith(new FlowException(FlowFailure.OUT_OF_ORDER, "The session is CHALLENGED; authenticate first"));

        HttpResponse<String> response = send("GET", "/api/v1/sessions/s1/server-config", null, TOKEN);

        assertEquals(409, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("out_of_order", body.get("error").asText());
        assertEquals(
                "The session is CHALLENGED; authenticate first",
                body.get("message").asText());
        assertEquals(0, body.get("methods").size());
    }

    @Test
    void rateLimitingIs429WithRetryAfterInWholeSeconds() throws Exception {
        plane.failWith(FlowException.rateLimited(Duration.ofMillis(2500)));

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions/s1/auth",
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"wrong\"}",
                null);

        assertRefused(response, 429, "rate_limited");
        assertEquals("3", response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void aServerAtItsCapacityIs503BusyWithRetryAfter() throws Exception {
        plane.failWith(FlowException.busy(
                "The server is checking as many credentials as it can take now", Duration.ofSeconds(2)));

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions/s1/auth",
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"pw\"}",
                null);

        assertRefused(response, 503, "busy");
        assertEquals("2", response.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void tooManyConnectionRequestsAre429WithRetryAfter() throws Exception {
        plane.failWith(FlowException.rateLimited(
                "Too many connection requests from 2001:db8:1:2::/64", Duration.ofMillis(400)));

        HttpResponse<String> response = send("POST", "/api/v1/sessions", "{\"publicKey\":\"" + KEY + "\"}", null);

        assertRefused(response, 429, "rate_limited");
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(message(response).contains("2001:db8:1:2::/64"), message(response));
    }

    @Test
    void anotherFactorIs401WithTheMethodsToAnswer() throws Exception {
        plane.failWith(FlowException.anotherFactor(List.of("totp")));

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/sessions/s1/auth",
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"pw\"}",
                null);

        assertRefused(response, 401, "another_factor_required");
        assertEquals(
                "totp", JSON.readTree(response.body()).get("methods").get(0).asText());
        assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent());
    }

    @Test
    void anUnknownSessionIs404() throws Exception {
        plane.failWith(new FlowException(FlowFailure.NOT_FOUND, "No session s9"));

        assertRefused(send("GET", "/api/v1/sessions/s9", null, TOKEN), 404, "not_found");
    }

    @Test
    void withoutTheSessionServiceEveryCallIs503SayingWhatToConfigure() throws Exception {
        servlet.controlPlane = null;

        HttpResponse<String> response = send("POST", "/api/v1/sessions", "{\"publicKey\":\"" + KEY + "\"}", null);

        assertRefused(response, 503, "unavailable");
        assertTrue(message(response).contains("not running"), message(response));
        assertTrue(message(response).contains("etc/dev.wirehaven.wireguard.interface-wg0.cfg"), message(response));
        assertTrue(message(response).contains("etc/dev.wirehaven.server.sessions.cfg"), message(response));
    }

    @Test
    void aBugInTheFlowIs500WithAGenericMessage() throws Exception {
        plane.breakWith(new IllegalStateException("pool table corrupt at row 7"));

        HttpResponse<String> response = send("GET", "/api/v1/sessions/s1", null, TOKEN);

        assertEquals(500, response.statusCode());
        assertEquals(
                "internal_error", JSON.readTree(response.body()).get("error").asText());
        assertFalse(response.body().contains("pool table"), "internals stay in the log");
    }

    @Test
    void badInputIsAlways4xxAndNeverReachesTheFlow() throws Exception {
        List<String> bodies = List.of(
                "",
                " ",
                "{",
                "}",
                "[]",
                "null",
                "\"text\"",
                "42",
                "{\"publicKey\":null}",
                "{\"publicKey\":42}",
                "{\"publicKey\":[\"" + KEY + "\"]}",
                "{\"publicKey\":{\"a\":1}}",
                "{\"publicKey\":\"" + KEY + "\",\"publicKey\":\"" + KEY + "\"}",
                "{\"publicKey\":\"" + KEY + "\"} {}",
                "{\"publicKey\":\"" + KEY + "\",\"deviceName\":\"\\u0000\"}",
                "[".repeat(2000) + "]".repeat(2000),
                "{\"publicKey\":\"" + KEY + "\",\"deviceName\":\"" + "d".repeat(129) + "\"}",
                "\uFFFF\uD800",
                "{'publicKey':'x'}",
                "{\"publicKey\":1e999999}");
        for (String body : bodies) {
            HttpResponse<String> response = send("POST", "/api/v1/sessions", body, null);

            assertTrue(
                    response.statusCode() >= 400 && response.statusCode() < 500,
                    response.statusCode() + " for " + body.substring(0, Math.min(40, body.length())));
            assertNotNull(JSON.readTree(response.body()).get("message"));
        }
        byte[] notUtf8 = {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> invalidBytes = server.client()
                .send(
                        HttpRequest.newBuilder(server.https("/api/v1/sessions"))
                                .header("Content-Type", "application/json")
                                .POST(BodyPublishers.ofByteArray(notUtf8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(400, invalidBytes.statusCode());
        assertEquals(List.of(), plane.calls());
    }

    // --- slow bodies ------------------------------------------------------------------------------

    @Test
    void aSlowBodyIsCutOffWith408AndItsConnectionClosedWhenItsDeadlinePasses() throws Exception {
        ManualTimer timer = new ManualTimer();
        servlet.timer = timer;
        try (SSLSocket socket = rawTls()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpsPort()
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"publicKey\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            timer.awaitScheduled();
            assertEquals(List.of(Duration.ofSeconds(10)), timer.pending(), "the default deadline");

            timer.advance(Duration.ofSeconds(10));

            RawResponse response = RawResponse.read(socket.getInputStream());
            assertEquals(408, response.status());
            assertEquals("close", response.headers().get("connection"));
            assertEquals(
                    "request_timeout",
                    JSON.readTree(response.body()).get("error").asText());
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
        }
        assertEquals(List.of(), plane.calls(), "nothing reached the flow");
    }

    @Test
    void aBodySentInPiecesWithinTheFlowsDeadlineIsAccepted() throws Exception {
        ManualTimer timer = new ManualTimer();
        servlet.timer = timer;
        plane.bodyTimeout = Duration.ofSeconds(3);
        String body = "{\"publicKey\":\"" + KEY + "\"}";
        try (SSLSocket socket = rawTls()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpsPort()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                            + body.substring(0, 10))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            timer.awaitScheduled();
            assertEquals(List.of(Duration.ofSeconds(3)), timer.pending(), "the flow's deadline");
            timer.advance(Duration.ofSeconds(2));

            out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            RawResponse response = RawResponse.read(socket.getInputStream());
            assertEquals(201, response.statusCode(), response.body());
        }
        assertEquals(List.of(), timer.pending(), "the deadline was cancelled");
        assertEquals(1, plane.calls().size());
    }

    /** A TLS connection to the server that trusts its certificate, for requests that java.net.http cannot send. */
    private SSLSocket rawTls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", server.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
        socket.setSoTimeout(30_000); // a bound on a broken test, not a measurement
        socket.startHandshake();
        return socket;
    }

    /** An HTTP/1.1 answer as it came over the wire: status, headers (lower-case names) and a body of Content-Length bytes. */
    private record RawResponse(int status, Map<String, String> headers, String body) {

        int statusCode() {
            return status;
        }

        static RawResponse read(InputStream in) throws Exception {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawResponse(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws Exception {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the connection ended in the answer's head: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private void assertStep(String method, String path, String body, int status, Call expected) throws Exception {
        int before = plane.calls().size();
        HttpResponse<String> response = send(method, path, body, TOKEN);

        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        assertEquals(expected, plane.calls().get(before), method + " " + path);
        assertEquals(before + 1, plane.calls().size());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.get("error").asText(), response.body());
        assertFalse(body.get("message").asText().isBlank());
        assertTrue(body.get("methods").isArray());
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("message").asText();
    }

    /** A valid ConnectionRequest padded with blanks to exactly {@code size} bytes. */
    private static String padded(int size) {
        String json = "{\"publicKey\":\"" + KEY + "\"}";
        return json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}";
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        return send(server.https(path), method, body == null ? null : "application/json", body, token);
    }

    private HttpResponse<String> send(URI uri, String method, String contentType, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return server.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
        return server.client()
                .sendAsync(
                        HttpRequest.newBuilder(server.https(path))
                                .method(method, BodyPublishers.noBody())
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
