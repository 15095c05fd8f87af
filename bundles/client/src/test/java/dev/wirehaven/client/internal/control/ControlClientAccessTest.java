package dev.wirehaven.client.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.client.internal.trust.KnownServers;
import dev.wirehaven.client.internal.trust.PinningTrustManager;
import dev.wirehaven.client.internal.trust.ServerAddress;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.wireguard.Keys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/sessions/{id}/access} against the canned HTTPS server: the grant of a 200, and the
 * refusals as {@link ControlApiException}s that say which they are.
 */
class ControlClientAccessTest {

    private static final ResourceRequest SSH = new ResourceRequest("tcp", "10.20.0.5", 22);

    @TempDir
    Path dir;

    private FakeControlServer server;
    private ControlClient control;
    private String sessionId;
    private String token;

    @BeforeEach
    void start() throws Exception {
        server = new FakeControlServer(null);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(
                null,
                new TrustManager[] {
                    new PinningTrustManager(
                            ServerAddress.of(server.uri()),
                            null,
                            new KnownServers(dir.resolve("known_servers")),
                            m -> {})
                },
                new SecureRandom());
        control = new ControlClient(server.uri(), ssl, Duration.ofSeconds(5), Duration.ofSeconds(10), "test");
        String publicKey = Keys.publicFrom(Keys.generatePrivate()).toBase64();
        AuthChallenge challenge = control.requestSession(new ConnectionRequest(publicKey, null, "test"));
        SessionGrant grant = control.authenticate(
                challenge.sessionId(), new AuthResponse("password", "alice", "secret", null, null));
        sessionId = grant.sessionId();
        token = grant.token();
    }

    private void configure() throws Exception {
        control.serverConfig(sessionId, token);
        control.clientConfig(
                sessionId,
                token,
                new ClientConfig(server.liveSession().clientKey.toBase64(), List.of()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGrantedResourceIsTheServersGrantAndTheRequestCarriesTheSessionToken() throws Exception {
        configure();
        server.accessUntil = Instant.parse("2026-12-03T14:03:00Z");

        ResourceGrant grant = control.requestAccess(sessionId, token, SSH);

        assertEquals(
                new ResourceGrant("tcp", "10.20.0.5", 22, Instant.parse("2026-12-03T14:03:00Z"), "rule acl:admin-ssh"),
                grant);
        assertEquals(List.of(SSH), server.accessRequests);
        assertEquals(List.of("Bearer " + token), server.accessTokens);
        assertTrue(server.calls.contains("POST /{id}/access"), server.calls.toString());
    }

    @Test
    void aResourceThePolicyDeniesIs403ForbiddenWithTheServersReason() throws Exception {
        configure();
        server.accessDenied = "Access to tcp 10.20.0.5:22 is not allowed: no policy allows it";

        ControlApiException e =
                assertThrows(ControlApiException.class, () -> control.requestAccess(sessionId, token, SSH));

        assertEquals(403, e.status());
        assertEquals("forbidden", e.code());
        assertEquals(
                "Access to tcp 10.20.0.5:22 is not allowed: no policy allows it",
                e.error().message());
        assertFalse(e.sessionGone(), "a denied resource leaves the session as it is");
        assertFalse(e.stepUpRequired());
    }

    @Test
    void aResourceBehindAStepUpIs401StepUpRequiredWithTheFactorsMethodsAndPrompts() throws Exception {
        configure();
        server.accessStepUps.set(1);

        ControlApiException e =
                assertThrows(ControlApiException.class, () -> control.requestAccess(sessionId, token, SSH));

        assertEquals(401, e.status());
        assertTrue(e.stepUpRequired());
        assertFalse(e.sessionGone(), "the session lives: it needs one more factor");
        assertEquals(List.of("totp"), e.error().methods());
        assertEquals(
                List.of(new MethodPrompt("totp", CredentialKind.ONE_TIME_CODE, "Code for the admin network")),
                e.error().prompts());
    }

    @Test
    void aSessionNotConfiguredYetIs409OutOfOrder() {
        ControlApiException e =
                assertThrows(ControlApiException.class, () -> control.requestAccess(sessionId, token, SSH));

        assertEquals(409, e.status());
        assertEquals("out_of_order", e.code());
    }

    @Test
    void aForgedTokenIs401AndTheSessionCountsAsGone() throws Exception {
        configure();

        ControlApiException e =
                assertThrows(ControlApiException.class, () -> control.requestAccess(sessionId, "forged", SSH));

        assertEquals(401, e.status());
        assertTrue(e.sessionGone());
        assertTrue(server.accessRequests.isEmpty(), "refused before the request is looked at");
    }
}
