package dev.wirehaven.client.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.internal.trust.KnownServers;
import dev.wirehaven.client.internal.trust.PinningTrustManager;
import dev.wirehaven.client.internal.trust.ServerAddress;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.TestCertificates;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control steps against a real HTTPS server (a canned one; the real server is tested end to end by the lead). */
class ConnectorTest {

    @TempDir
    Path dir;

    private FakeControlServer server;
    private final List<String> asked = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();
    private final Key clientKey = Keys.publicFrom(Keys.generatePrivate());

    @BeforeEach
    void start() throws Exception {
        server = new FakeControlServer(null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ControlClient control(Fingerprint pinned) throws Exception {
        KnownServers known = new KnownServers(dir.resolve("known_servers"));
        if (pinned != null) {
            known.record(ServerAddress.of(server.uri()), pinned);
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(
                null,
                new TrustManager[] {new PinningTrustManager(ServerAddress.of(server.uri()), null, known, m -> {})},
                new SecureRandom());
        return new ControlClient(server.uri(), ssl, Duration.ofSeconds(5), Duration.ofSeconds(10), "test");
    }

    private CredentialPrompter prompter(String password, String code) {
        return new CredentialPrompter() {
            @Override
            public char[] password(URI s, String user) {
                asked.add("password " + user);
                return password.toCharArray();
            }

            @Override
            public String oneTimeCode(URI s, String user, String method) {
                asked.add(method + " " + user);
                return code;
            }
        };
    }

    private Connector connector(ControlClient control, CredentialPrompter prompter) {
        return new Connector(
                control,
                new Authenticator(control, prompter, "alice", null, Clock.systemUTC(), d -> {
                    throw new AssertionError("no approval in these tests");
                }),
                progress::add);
    }

    @Test
    void runsStepsOneToSevenInTheOrderOfTheFlow() throws Exception {
        Connector.Established made =
                connector(control(null), prompter("secret", null)).establish(clientKey, null, "laptop");

        assertEquals(
                List.of("POST /sessions", "POST /{id}/auth", "GET /{id}/server-config", "PUT /{id}/client-config"),
                server.calls);
        assertEquals(clientKey.toBase64(), server.requests.get(0).publicKey());
        assertEquals("laptop", server.requests.get(0).deviceName());
        assertNull(server.requests.get(0).requestedAddress());
        assertEquals(List.of("10.8.0.2/32"), made.config().addresses());
        assertEquals(SessionPhase.CONFIGURED, made.status().phase());
        assertEquals(made.session().id(), server.liveSession().id);
        assertEquals(List.of("password alice"), asked);
        assertEquals(4, progress.size(), "one line per step: " + progress);
    }

    @Test
    void theSecondFactorIsAskedForWhenTheServerWantsOne() throws Exception {
        server.auth.oneTimeCode = "424242";
        connector(control(null), prompter("secret", "424242")).establish(clientKey, null, "");

        assertEquals(List.of("password alice", "totp alice"), asked);
        List<AuthResponse> answers = server.auth.responses;
        assertEquals("password", answers.get(0).method());
        assertEquals("totp", answers.get(1).method());
        assertEquals("424242", answers.get(1).oneTimeCode());
        assertNull(answers.get(1).password(), "the password is not sent again with the code");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureWithTheServersWords() throws Exception {
        ClientException e = assertThrows(
                ClientException.class,
                () -> connector(control(null), prompter("wrong", null)).establish(clientKey, null, ""));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertEquals("the server refused the credentials of alice: the credentials were not accepted", e.getMessage());
    }

    @Test
    void rateLimitingCarriesTheServersRetryAfter() throws Exception {
        server.auth.failuresBeforeRateLimit = 0;
        ClientException e = assertThrows(
                ClientException.class,
                () -> connector(control(null), prompter("secret", null)).establish(clientKey, null, ""));
        assertEquals(Reason.RATE_LIMITED, e.reason());
        assertEquals(Optional.of(Duration.ofSeconds(42)), e.retryAfter());
        assertTrue(e.getMessage().contains("try again in 42 s"), e.getMessage());
    }

    @Test
    void aRefusedStepAfterAuthenticationEndsTheHalfMadeSession() throws Exception {
        server.failServerConfig = true;
        ClientException e = assertThrows(
                ClientException.class,
                () -> connector(control(null), prompter("secret", null)).establish(clientKey, null, ""));
        assertEquals(Reason.REFUSED, e.reason());
        assertTrue(e.getMessage().contains("(503 unavailable): no WireGuard interface yet"), e.getMessage());
        assertEquals(1, server.deletes.get(), "the session is ended, not left to lapse");
        assertEquals("DELETE /{id}", server.calls.get(server.calls.size() - 1));
    }

    @Test
    void theRequestedAddressIsAskedForAndGrantedWhenFree() throws Exception {
        Connector.Established made =
                connector(control(null), prompter("secret", null)).establish(clientKey, "10.8.0.77", "");
        assertEquals("10.8.0.77", server.requests.get(0).requestedAddress());
        assertEquals(List.of("10.8.0.77/32"), made.config().addresses());
    }

    @Test
    void aServerWhoseCertificateChangedIsNotTalkedTo() throws Exception {
        Fingerprint other =
                Fingerprint.ofKey(TestCertificates.selfSigned("impostor").certificate());
        ClientException e = assertThrows(
                ClientException.class,
                () -> connector(control(other), prompter("secret", null)).establish(clientKey, null, ""));
        assertEquals(Reason.UNTRUSTED_CERTIFICATE, e.reason());
        assertTrue(e.getMessage().contains("has CHANGED"), e.getMessage());
        assertEquals(List.of(), server.calls, "no request reached the server");
        assertEquals(List.of(), asked, "no password was asked for");
    }

    @Test
    void anUnreachableServerSaysWhatFailed() throws Exception {
        URI closed = URI.create("https://127.0.0.1:1");
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(
                null,
                new TrustManager[] {
                    new PinningTrustManager(ServerAddress.of(closed), null, new KnownServers(dir.resolve("k")), m -> {})
                },
                new SecureRandom());
        ControlClient control = new ControlClient(closed, ssl, Duration.ofSeconds(5), Duration.ofSeconds(5), "test");
        ClientException e = assertThrows(
                ClientException.class,
                () -> connector(control, prompter("secret", null)).establish(clientKey, null, ""));
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(
                e.getMessage()
                        .startsWith("cannot reach https://127.0.0.1:1 (connection request): the TCP connection"
                                + " failed"),
                e.getMessage());
    }
}
