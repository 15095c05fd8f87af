package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The sink against a real HTTP receiver:
 *
 * <pre>
 *   WebhookSink ── POST JSON ──▶ TestReceiver (com.sun.net.httpserver on 127.0.0.1:&lt;free port&gt;)
 *       │                              records each request, answers the scripted statuses
 *       └─ sleeper: records the backoff instead of waiting
 * </pre>
 */
class WebhookSinkTest {

    private static final Instant T = Instant.parse("2026-11-25T10:15:30Z");
    private static final String SECRET = "correct-horse-battery-staple";

    private final Logger senderLog = (Logger) LoggerFactory.getLogger(WebhookSender.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final WebhookSender.Sleeper sleeper = sleeps::add;
    private TestReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = new TestReceiver();
        senderLog.setLevel(Level.DEBUG);
        appender.start();
        senderLog.addAppender(appender);
    }

    @AfterEach
    void stop() {
        senderLog.detachAppender(appender);
        receiver.close();
    }

    private List<String> warnings() {
        return appender.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static SecurityEvent event(Severity severity, String detail) throws IOException {
        return new SecurityEvent(
                SecurityEvent.AUTH_FAILURE, severity, T, "alice", InetAddress.getByName("198.51.100.7"), detail);
    }

    // ---- what is sent ----

    @Test
    void eventsAtOrAboveTheMinimumSeverityArriveAsJson() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/hooks/wirehaven")), sleeper);
        sink.securityEvent(event(Severity.MEDIUM, "bad token"));
        sink.securityEvent(event(Severity.CRITICAL, "admin"));

        List<TestReceiver.Request> got = receiver.requests();
        assertEquals(2, got.size());
        TestReceiver.Request first = got.get(0);
        assertEquals("POST", first.method());
        assertEquals("/hooks/wirehaven", first.path());
        assertEquals("application/json; charset=utf-8", first.contentType());
        assertEquals(
                "{\"kind\":\"security\",\"type\":\"auth.failure\",\"severity\":\"MEDIUM\","
                        + "\"timestamp\":\"2026-11-25T10:15:30Z\",\"user\":\"alice\",\"source\":\"198.51.100.7\","
                        + "\"session\":null,\"detail\":\"bad token\","
                        + "\"text\":\"[MEDIUM] auth.failure user=alice source=198.51.100.7: bad token\"}",
                first.body());
        assertTrue(
                got.get(1).body().contains("\"severity\":\"CRITICAL\""),
                got.get(1).body());
        assertEquals("webhook sink to " + origin() + " (sent 2, failed 0)", sink.toString());
    }

    @Test
    void eventsBelowTheMinimumSeverityAreNotSent() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/")), sleeper);
        sink.securityEvent(event(Severity.INFO, "operator logged in"));
        sink.securityEvent(event(Severity.LOW, "one bad token"));
        assertEquals(List.of(), receiver.requests());
        assertTrue(sink.toString().endsWith("(sent 0, failed 0)"), sink.toString());
    }

    @Test
    void sessionEventsAreSentOnlyWhenEnabled() {
        SessionEvent active = new SessionEvent("s-17", "bob", SessionPhase.ACTIVE, T, "tunnel 10.0.0.2");
        new WebhookSink(new TestConfig(receiver.url("/")), sleeper).sessionEvent(active);
        assertEquals(List.of(), receiver.requests());

        new WebhookSink(new TestConfig(receiver.url("/")).withSessionEvents(), sleeper).sessionEvent(active);
        assertEquals(1, receiver.requests().size());
        assertEquals(EventJson.of(active), receiver.requests().get(0).body());
    }

    @Test
    void hostileDetailsArriveEscapedAsPlainAscii() throws Exception {
        String hostile = "x\",\"severity\":\"INFO\"}\r\n\u0000\u001b[2J\u202egnp.exe\\ J\u00fcrgen";
        new WebhookSink(new TestConfig(receiver.url("/")), sleeper).securityEvent(event(Severity.HIGH, hostile));
        String body = receiver.requests().get(0).body();
        assertTrue(body.chars().allMatch(c -> c >= 0x20 && c < 0x7f), body);
        assertTrue(
                body.contains("\"detail\":\"x\\\",\\\"severity\\\":\\\"INFO\\\"}\\r\\n\\u0000\\u001b[2J"
                        + "\\u202egnp.exe\\\\ J\\u00fcrgen\","),
                body);
        int detail = body.indexOf("\"detail\":") + "\"detail\":".length();
        int end = body.indexOf(",\"text\":");
        assertEquals(hostile, JsonObjectTest.decode(body.substring(detail, end)));
    }

    // ---- the signature ----

    @Test
    void theSignatureVerifiesWithTheSecret() throws Exception {
        new WebhookSink(new TestConfig(receiver.url("/")).withSecret(SECRET), sleeper)
                .securityEvent(event(Severity.HIGH, "signed"));
        TestReceiver.Request r = receiver.requests().get(0);

        // what a receiver does: the HMAC of the bytes it got, with the secret it shares
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected =
                "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, r.signature());

        mac.init(new SecretKeySpec("another-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertFalse(r.signature()
                .equals("sha256="
                        + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void withoutASecretThereIsNoSignature() throws Exception {
        new WebhookSink(new TestConfig(receiver.url("/")), sleeper).securityEvent(event(Severity.HIGH, "unsigned"));
        assertNull(receiver.requests().get(0).signature());
    }

    // ---- failures ----

    @Test
    void a503IsRetriedAfterABackoffThenSucceeds() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/")), sleeper);
        receiver.answering(503);
        sink.securityEvent(event(Severity.HIGH, "retry me"));

        assertEquals(2, receiver.requests().size());
        assertEquals(
                receiver.requests().get(0).body(), receiver.requests().get(1).body());
        assertEquals(List.of(Duration.ofMillis(250)), sleeps);
        assertEquals(List.of(), warnings());
        assertTrue(sink.toString().endsWith("(sent 1, failed 0)"), sink.toString());
    }

    @Test
    void a400IsNotRetried() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/")), sleeper);
        receiver.answering(400);
        sink.securityEvent(event(Severity.HIGH, "refused"));

        assertEquals(1, receiver.requests().size());
        assertEquals(List.of(), sleeps);
        assertEquals(
                List.of("Webhook " + origin()
                        + ": auth.failure at 2026-11-25T10:15:30Z dropped: HTTP 400, not retried"),
                warnings());
        assertTrue(sink.toString().endsWith("(sent 0, failed 1)"), sink.toString());
    }

    @Test
    void aReceiverThatStaysDownCostsThreeAttemptsAndOneWarningWithoutSecretPathOrBody() throws Exception {
        WebhookSink sink =
                new WebhookSink(new TestConfig(receiver.url("/T0/B0/path-token")).withSecret(SECRET), sleeper);
        receiver.answering(500, 502, 503);
        sink.securityEvent(event(Severity.HIGH, "detail-text"));

        assertEquals(3, receiver.requests().size());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(1)), sleeps);
        List<String> warnings = warnings();
        assertEquals(
                List.of("Webhook " + origin()
                        + ": auth.failure at 2026-11-25T10:15:30Z dropped after 3 attempts: HTTP 503"),
                warnings);
        for (ILoggingEvent e : appender.list) {
            String line = e.getFormattedMessage();
            assertFalse(line.contains(SECRET) || line.contains("path-token") || line.contains("detail-text"), line);
        }
        assertTrue(sink.toString().endsWith("(sent 0, failed 1)"), sink.toString());
        assertFalse(sink.toString().contains("path-token"), sink.toString());

        sink.securityEvent(event(Severity.HIGH, "next"));
        assertEquals(4, receiver.requests().size());
        assertTrue(sink.toString().endsWith("(sent 1, failed 1)"), sink.toString());
    }

    @Test
    void aRefusedConnectionIsRetriedThenDropped() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookSink sink = new WebhookSink(new TestConfig("http://127.0.0.1:" + closedPort + "/hook"), sleeper);
        sink.securityEvent(event(Severity.HIGH, "nobody listens"));

        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(1)), sleeps);
        assertEquals(1, warnings().size());
        assertTrue(
                warnings()
                        .get(0)
                        .startsWith("Webhook http://127.0.0.1:" + closedPort
                                + ": auth.failure at 2026-11-25T10:15:30Z dropped after 3 attempts: ConnectException"),
                warnings().get(0));
        assertTrue(sink.toString().endsWith("(sent 0, failed 1)"), sink.toString());
    }

    @Test
    void aReceiverThatDoesNotAnswerWithinTheTimeoutIsRetriedThenDropped() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/")).withTimeout("100ms"), sleeper);
        receiver.answering(TestReceiver.NO_ANSWER, TestReceiver.NO_ANSWER, TestReceiver.NO_ANSWER);
        sink.securityEvent(event(Severity.HIGH, "slow"));

        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(1)), sleeps);
        assertEquals(
                List.of("Webhook " + origin()
                        + ": auth.failure at 2026-11-25T10:15:30Z dropped after 3 attempts: no answer within 100 ms"),
                warnings());
        assertTrue(sink.toString().endsWith("(sent 0, failed 1)"), sink.toString());
    }

    @Test
    void aStoppedSinkMakesNoFurtherAttempt() throws Exception {
        WebhookSink sink = new WebhookSink(new TestConfig(receiver.url("/")), sleeper);
        sink.stop();
        receiver.answering(503);
        sink.securityEvent(event(Severity.HIGH, "during shutdown"));
        assertEquals(1, receiver.requests().size());
        assertEquals(List.of(), sleeps);
        assertTrue(
                warnings().get(0).endsWith("dropped after 1 attempt: HTTP 503"),
                warnings().get(0));
    }

    // ---- configuration ----

    @Test
    void refusedUrlsFailTheActivationNamingTheKey() {
        for (String url :
                List.of("http://siem.example.com/hook", "ftp://siem.example.com/", "", "javascript:alert(1)")) {
            String m = assertThrows(IllegalArgumentException.class, () -> new WebhookSink(new TestConfig(url), sleeper))
                    .getMessage();
            assertTrue(m.startsWith("url "), m);
        }
    }

    @Test
    void aBadOrOverlongTimeoutFailsTheActivationNamingTheKey() {
        TestConfig config = new TestConfig(receiver.url("/"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> new WebhookSink(config.withTimeout("soon"), sleeper))
                        .getMessage()
                        .startsWith("timeout 'soon' is not a duration"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> new WebhookSink(config.withTimeout("2m"), sleeper))
                        .getMessage()
                        .startsWith("timeout '2m' is longer than 1m"));
    }

    @Test
    void theSinkIsNamedWebhook() {
        assertEquals("webhook", new WebhookSink(new TestConfig(receiver.url("/")), sleeper).name());
    }

    private String origin() {
        return receiver.url("");
    }
}
