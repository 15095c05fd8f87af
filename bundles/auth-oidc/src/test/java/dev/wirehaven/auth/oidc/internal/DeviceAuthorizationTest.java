package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.wirehaven.api.auth.Approval;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PendingApproval;
import dev.wirehaven.server.support.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device authorization grant (RFC 8628) as the provider runs it, against a real provider's
 * discovery, keys and tokens, with the device and token endpoints scripted so that every answer of
 * §3.5 can be had on demand. The real flow with a person in a browser is {@code OidcDeviceGrantIT}.
 *
 * <pre>
 *   ┌──────────────────┐  discovery, JWKS  ┌──────────────────────────────────────┐
 *   │ OidcAuthProvider │ ────────────────▶ │ mock-oauth2-server (signs the tokens) │
 *   │                  │                   └──────────────────────────────────────┘
 *   │                  │  /device, /token  ┌──────────────────────────────────────┐
 *   │                  │ ────────────────▶ │ ScriptedEndpoints (answers in order)  │
 *   └──────────────────┘                   └──────────────────────────────────────┘
 * </pre>
 */
class DeviceAuthorizationTest {

    private static final String DEVICE_ANSWER = "{\"device_code\":\"dc-4711\",\"user_code\":\"WDJB-MJHT\","
            + "\"verification_uri\":\"https://sso.example.com/device\","
            + "\"verification_uri_complete\":\"https://sso.example.com/device?user_code=WDJB-MJHT\","
            + "\"expires_in\":600,\"interval\":5}";

    private MockIdentityProvider idp;
    private ScriptedEndpoints endpoints;
    private MutableClock clock;
    private OidcAuthProvider provider;

    @BeforeEach
    void start() {
        idp = MockIdentityProvider.start();
        endpoints = ScriptedEndpoints.start();
        clock = MutableClock.startingNow();
    }

    @AfterEach
    void stop() throws IOException {
        if (provider != null) {
            provider.close();
        }
        endpoints.close();
        idp.close();
    }

    /** Our provider, told by discovery that the device and token endpoints are the scripted ones. */
    private OidcAuthProvider provider(Map<String, ?> more) {
        provider = OidcAuthProvider.create(
                TestConfigs.settings(idp.configuration(more)),
                clock,
                (issuer, timeout) -> {
                    var metadata = ProviderMetadataCache.discover(issuer, timeout);
                    metadata.setDeviceAuthorizationEndpointURI(endpoints.uri("/device"));
                    metadata.setTokenEndpointURI(endpoints.uri("/token"));
                    return metadata;
                },
                OidcAuthProvider.KEY_REFRESH_INTERVAL);
        return provider;
    }

    private OidcAuthProvider provider() {
        return provider(Map.of());
    }

    private static AuthResult ask(OidcAuthProvider provider, Approval approval) {
        return provider.authenticate(AuthRequest.firstFactor(approval, null));
    }

    private static PendingApproval pending(AuthResult result) {
        assertEquals(AuthStatus.PENDING, result.status(), result::toString);
        return result.pendingApproval().orElseThrow();
    }

    /** A started login: the device answer scripted and the first request made. */
    private PendingApproval started(OidcAuthProvider provider) {
        endpoints.json("/device", 200, DEVICE_ANSWER);
        return pending(ask(provider, Approval.start()));
    }

    private static String tokenAnswer(String idToken, String accessToken) {
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                + "\"id_token\":\"" + idToken + "\"}";
    }

    private static Map<String, String> form(String body) {
        return List.of(body.split("&")).stream()
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- starting a login (§3.1, §3.2)

    @Test
    void aStartAsksTheDeviceEndpointAndAnswersPendingWithWhatThePersonMustSee() {
        Instant now = clock.instant();

        PendingApproval approval = started(provider());

        assertEquals("dc-4711", approval.reference(), "the reference is the device code");
        assertEquals(URI.create("https://sso.example.com/device"), approval.verificationUri());
        assertEquals(
                URI.create("https://sso.example.com/device?user_code=WDJB-MJHT"), approval.verificationUriComplete());
        assertEquals("WDJB-MJHT", approval.userCode());
        assertEquals(Duration.ofSeconds(5), approval.interval());
        assertEquals(now.plusSeconds(600), approval.expiresAt());

        ScriptedEndpoints.Recorded request = endpoints.requests().get(0);
        assertEquals("/device", request.path());
        assertEquals(
                Map.of("client_id", MockIdentityProvider.CLIENT_ID, "scope", "openid profile email"),
                form(request.body()),
                "a public client names itself and asks for the configured scopes");
    }

    @Test
    void aDeviceAnswerWithoutIntervalMeansFiveSeconds() {
        endpoints.json("/device", 200, DEVICE_ANSWER.replace(",\"interval\":5", ""));

        assertEquals(
                Duration.ofSeconds(5),
                pending(ask(provider(), Approval.start())).interval());
    }

    @Test
    void aProviderWithoutDeviceEndpointIsUnavailableForDeviceLogins() throws IOException {
        // the real mock-oauth2-server's metadata, which has no device_authorization_endpoint
        provider = OidcAuthProvider.create(
                TestConfigs.settings(idp.configuration(Map.of())),
                clock,
                ProviderMetadataCache::discover,
                OidcAuthProvider.KEY_REFRESH_INTERVAL);

        AuthResult result = ask(provider, Approval.start());

        assertEquals(AuthStatus.UNAVAILABLE, result.status());
        assertTrue(result.reason().contains("no device_authorization_endpoint"), result.reason());
    }

    @Test
    void aRefusedStartIsUnavailableWithTheProvidersError() {
        endpoints.json("/device", 400, "{\"error\":\"unauthorized_client\",\"error_description\":\"grant disabled\"}");

        AuthResult result = ask(provider(), Approval.start());

        assertEquals(AuthStatus.UNAVAILABLE, result.status());
        assertTrue(result.reason().contains("unauthorized_client (grant disabled)"), result.reason());
    }

    // ---------------------------------------------------------------- polling (§3.4, §3.5)

    @Test
    void whilePendingEachPollAnswersTheSameData() {
        OidcAuthProvider provider = provider();
        PendingApproval approval = started(provider);
        endpoints.tokenError("authorization_pending").tokenError("authorization_pending");

        assertEquals(approval, pending(ask(provider, new Approval(approval.reference()))));
        assertEquals(approval, pending(ask(provider, new Approval(approval.reference()))));

        ScriptedEndpoints.Recorded poll = endpoints.requests().get(1);
        assertEquals("/token", poll.path());
        assertEquals(
                Map.of(
                        "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                        "device_code", "dc-4711",
                        "client_id", MockIdentityProvider.CLIENT_ID),
                form(poll.body()));
    }

    @Test
    void slowDownAddsFiveSecondsForThisAndTheFollowingPolls() {
        OidcAuthProvider provider = provider();
        PendingApproval approval = started(provider);
        endpoints.tokenError("slow_down").tokenError("authorization_pending").tokenError("slow_down");

        assertEquals(
                Duration.ofSeconds(10),
                pending(ask(provider, new Approval("dc-4711"))).interval());
        assertEquals(
                Duration.ofSeconds(10),
                pending(ask(provider, new Approval("dc-4711"))).interval());
        PendingApproval slower = pending(ask(provider, new Approval("dc-4711")));
        assertEquals(Duration.ofSeconds(15), slower.interval());
        assertEquals(approval.withInterval(Duration.ofSeconds(15)), slower, "nothing else changes");
    }

    @Test
    void aDeniedOrExpiredLoginFails() {
        OidcAuthProvider provider = provider();
        started(provider);
        endpoints.tokenError("access_denied");
        assertEquals(AuthResult.failure(), ask(provider, new Approval("dc-4711")));

        started(provider);
        endpoints.tokenError("expired_token");
        assertEquals(AuthResult.failure(), ask(provider, new Approval("dc-4711")));

        endpoints.tokenError("invalid_grant");
        assertEquals(AuthResult.failure(), ask(provider, new Approval("an-unknown-device-code")));
    }

    @Test
    void aPendingLoginThatWasForgottenMustStartOver() {
        OidcAuthProvider provider = provider();
        started(provider);
        clock.advance(Duration.ofSeconds(601)); // past expires_in: the entry is gone
        endpoints.tokenError("authorization_pending").tokenError("slow_down");

        assertEquals(AuthResult.failure(DeviceAuthorization.APPROVAL_EXPIRED), ask(provider, new Approval("dc-4711")));
        assertEquals(AuthResult.failure(DeviceAuthorization.APPROVAL_EXPIRED), ask(provider, new Approval("dc-4711")));
    }

    @Test
    void aProviderThatFailsOrRefusesOurClientIsUnavailable() {
        OidcAuthProvider provider = provider();
        started(provider);
        endpoints.text("/token", 503, "maintenance");
        endpoints.json("/token", 401, "{\"error\":\"invalid_client\"}");
        endpoints.text("/token", 200, "<html>a login page</html>");

        AuthResult down = ask(provider, new Approval("dc-4711"));
        AuthResult refused = ask(provider, new Approval("dc-4711"));
        AuthResult garbage = ask(provider, new Approval("dc-4711"));

        assertEquals(AuthStatus.UNAVAILABLE, down.status());
        assertTrue(down.reason().contains("HTTP 503"), down.reason());
        assertEquals(AuthStatus.UNAVAILABLE, refused.status());
        assertTrue(refused.reason().contains("invalid_client"), refused.reason());
        assertEquals(AuthStatus.UNAVAILABLE, garbage.status());
        assertFalse(garbage.reason().contains("dc-4711"), "the device code is never in a reason");

        endpoints.tokenError("authorization_pending");
        assertEquals(AuthStatus.PENDING, ask(provider, new Approval("dc-4711")).status(), "the login survived");

        endpoints.close();
        AuthResult unreachable = ask(provider, new Approval("dc-4711"));
        assertEquals(AuthStatus.UNAVAILABLE, unreachable.status());
        assertTrue(unreachable.reason().contains("cannot be reached"), unreachable.reason());
    }

    // ---------------------------------------------------------------- the approved login's tokens

    @Test
    void anApprovedLoginGivesTheIdentityOfItsIdTokenWithGroupsFromTheAccessToken() throws Exception {
        OidcAuthProvider provider = provider(Map.of("groupsClaim", "realm_access.roles"));
        started(provider);
        String idToken =
                idp.idToken("alice-sub", Map.of("preferred_username", "alice", "email", "alice@example.com"), 300);
        String accessToken = idp.accessToken(
                "alice-sub", "account", Map.of("realm_access", Map.of("roles", List.of("vpn-users"))), 300);
        endpoints.json("/token", 200, tokenAnswer(idToken, accessToken));

        AuthResult result = ask(provider, new Approval("dc-4711"));

        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        Identity alice = result.identity().orElseThrow();
        assertEquals("alice", alice.user());
        assertEquals(Set.of("vpn-users"), alice.groups(), "from the access token, whatever its audience");
        assertEquals("alice@example.com", alice.attributes().get("email"));
        assertEquals(
                SignedJWT.parse(idToken).getJWTClaimsSet().getExpirationTime().toInstant(), alice.validUntil());
    }

    @Test
    void anOpaqueAccessTokenLeavesTheGroupsToTheIdToken() {
        OidcAuthProvider provider = provider();
        started(provider);
        String idToken = idp.idToken("bob-sub", Map.of("preferred_username", "bob"), 300);
        endpoints.json("/token", 200, tokenAnswer(idToken, "an-opaque-access-token"));

        AuthResult result = ask(provider, new Approval("dc-4711"));

        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        assertEquals(Set.of(), result.identity().orElseThrow().groups());
    }

    @Test
    void anIdTokenThatIsNotForOurClientFails() {
        OidcAuthProvider provider = provider();
        started(provider);
        String foreign = idp.accessToken("alice-sub", "another-client", Map.of(), 300);
        endpoints.json("/token", 200, tokenAnswer(foreign, "opaque"));

        assertEquals(AuthResult.failure(), ask(provider, new Approval("dc-4711")));
    }

    @Test
    void anAnswerWithoutIdTokenIsUnavailable() {
        OidcAuthProvider provider = provider();
        started(provider);
        endpoints.json("/token", 200, "{\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"expires_in\":300}");

        AuthResult result = ask(provider, new Approval("dc-4711"));

        assertEquals(AuthStatus.UNAVAILABLE, result.status());
        assertTrue(result.reason().contains("openid"), result.reason());
    }

    // ---------------------------------------------------------------- a confidential client

    @Test
    void aConfidentialClientAuthenticatesAtBothEndpoints(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "the-client-secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        OidcAuthProvider provider = provider(Map.of("clientSecretFile", secret.toString()));
        started(provider);
        endpoints.tokenError("authorization_pending");
        ask(provider, new Approval("dc-4711"));

        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((MockIdentityProvider.CLIENT_ID + ":the-client-secret")
                                .getBytes(StandardCharsets.UTF_8));
        for (ScriptedEndpoints.Recorded request : endpoints.requests()) {
            assertNotNull(request.authorization(), request.path());
            assertEquals(basic, request.authorization(), request.path());
        }
    }
}
