package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.server.support.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens against a real OIDC provider on loopback.
 *
 * <pre>
 *   test JVM
 *   ┌──────────────────────────┐   discovery, JWKS    ┌────────────────────────────────────┐
 *   │ OidcAuthProvider         │ ───── HTTP ────────▶ │ mock-oauth2-server                 │
 *   │  (clock: MutableClock)   │                      │ http://localhost:&lt;port&gt;/wh       │
 *   └──────────────────────────┘                      │ signs with RotatingKeys (key-1, …) │
 *        ▲ BearerToken                                └────────────────────────────────────┘
 *        └── tokens the server issued, or the test signed with the server's key
 * </pre>
 */
class BearerTokenTest {

    private MockIdentityProvider idp;
    private MutableClock clock;
    private OidcAuthProvider provider;

    @BeforeEach
    void start() {
        idp = MockIdentityProvider.start();
        clock = MutableClock.startingNow();
    }

    @AfterEach
    void stop() throws IOException {
        if (provider != null) {
            provider.close();
        }
        idp.close();
    }

    private OidcAuthProvider provider(Map<String, ?> more) {
        provider = OidcAuthProvider.create(
                TestConfigs.settings(idp.configuration(more)),
                clock,
                ProviderMetadataCache::discover,
                OidcAuthProvider.KEY_REFRESH_INTERVAL);
        return provider;
    }

    private OidcAuthProvider provider() {
        return provider(Map.of());
    }

    private static AuthResult present(OidcAuthProvider provider, String token) {
        return provider.authenticate(AuthRequest.firstFactor(new BearerToken(token), InetAddress.getLoopbackAddress()));
    }

    private static Instant expiryOf(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    }

    // ---------------------------------------------------------------- valid tokens

    @Test
    void anAccessTokenForOurClientGivesTheUserWithGroupsAttributesAndExpiry() throws Exception {
        String token = idp.aliceToken();

        AuthResult result = present(provider(), token);

        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        Identity alice = result.identity().orElseThrow();
        assertEquals("alice", alice.user());
        assertEquals(Set.of("vpn-users", "ops"), alice.groups());
        assertEquals(Map.of("sub", "alice-sub", "email", "alice@example.com", "iss", idp.issuer()), alice.attributes());
        assertEquals(expiryOf(token), alice.validUntil(), "the session is bounded by the token's exp");
    }

    @Test
    void anIdTokenThatTheTokenEndpointIssuedToOurClientIsAccepted() throws Exception {
        String idToken = idp.idTokenFromTokenEndpoint("carol", Map.of("groups", List.of("staff")));

        AuthResult result = present(provider(), idToken);

        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        assertEquals("carol", result.identity().orElseThrow().user(), "no preferred_username: the sub");
        assertEquals(Set.of("staff"), result.identity().orElseThrow().groups());
    }

    @Test
    void anAccessTokenForTheConfiguredAudienceIsAccepted() {
        String token = idp.accessToken("svc", "vpn-api", Map.of(), 600);

        assertEquals(
                AuthStatus.SUCCESS,
                present(provider(Map.of("audience", "vpn-api")), token).status());
    }

    @Test
    void anEs256TokenIsAccepted() {
        idp.keys.rotateToEc();
        String token = idp.aliceToken();

        assertEquals(AuthStatus.SUCCESS, present(provider(), token).status());
    }

    @Test
    void groupsComeFromANestedClaimPath() {
        String token = idp.accessToken(
                "bob-sub",
                MockIdentityProvider.CLIENT_ID,
                Map.of("preferred_username", "bob", "realm_access", Map.of("roles", List.of("vpn-admins"))),
                600);

        AuthResult result = present(provider(Map.of("groupsClaim", "realm_access.roles")), token);

        assertEquals(Set.of("vpn-admins"), result.identity().orElseThrow().groups());
    }

    // ---------------------------------------------------------------- refused tokens: the generic failure

    @Test
    void aTokenOfAnotherIssuerIsRefusedThoughItsSignatureIsGood() {
        // the same key signs for every issuer ID of the server: only the iss claim differs
        String token = idp.accessToken("alice-sub", MockIdentityProvider.CLIENT_ID, Map.of(), 600);
        String other = idp.sign(idp.claims("alice-sub", Instant.now(), 600)
                .issuer("http://localhost:" + idp.port() + "/other")
                .build());

        OidcAuthProvider provider = provider();
        assertEquals(AuthStatus.SUCCESS, present(provider, token).status());
        assertEquals(AuthResult.failure(), present(provider, other));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = idp.accessToken("alice-sub", "some-other-api", Map.of(), 600);

        assertEquals(AuthResult.failure(), present(provider(), token));
    }

    @Test
    void aTokenWithoutAudienceIsRefused() {
        String token = idp.sign(idp.claims("alice-sub", Instant.now(), 600)
                .audience((String) null)
                .build());

        assertEquals(AuthResult.failure(), present(provider(), token));
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheSkewAndAcceptedWithinIt() throws Exception {
        String token = idp.aliceToken();
        Instant exp = expiryOf(token);
        OidcAuthProvider provider = provider(Map.of("clockSkewSeconds", 60));

        clock.set(exp.plusSeconds(59));
        assertEquals(AuthStatus.SUCCESS, present(provider, token).status(), "59 s late: within the skew");

        clock.set(exp.plusSeconds(61));
        assertEquals(AuthResult.failure(), present(provider, token), "61 s late: beyond the skew");
    }

    @Test
    void aTokenNotYetValidIsRefusedBeyondTheSkewAndAcceptedWithinIt() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OidcAuthProvider provider = provider(Map.of("clockSkewSeconds", 60));

        String soon = idp.sign(idp.claims("alice-sub", now, 600)
                .notBeforeTime(java.util.Date.from(now.plusSeconds(30)))
                .build());
        String later = idp.sign(idp.claims("alice-sub", now, 600)
                .notBeforeTime(java.util.Date.from(now.plusSeconds(120)))
                .build());

        assertEquals(AuthStatus.SUCCESS, present(provider, soon).status());
        assertEquals(AuthResult.failure(), present(provider, later));
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String token = idp.aliceToken();
        String[] parts = token.split("\\.");
        OidcAuthProvider provider = provider();

        // another signature: one character of it changed
        char last = parts[2].charAt(10);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        // another payload under the old signature: a different user
        JWTClaimsSet forged = new JWTClaimsSet.Builder(SignedJWT.parse(token).getJWTClaimsSet())
                .claim("preferred_username", "root")
                .build();
        String badPayload =
                parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(forged.toString()) + "." + parts[2];

        assertEquals(AuthResult.failure(), present(provider, badSignature));
        assertEquals(AuthResult.failure(), present(provider, badPayload));
        assertEquals(AuthStatus.SUCCESS, present(provider, token).status(), "the original still passes");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(idp.claims("alice-sub", Instant.now(), 600).build()).serialize();

        assertEquals(AuthResult.failure(), present(provider(), none));
    }

    @Test
    void anHmacTokenKeyedWithThePublicKeyIsRefused() throws JOSEException {
        // the classic confusion: HS256 with the provider's public key (which anyone can fetch) as the secret
        byte[] publicKey = idp.keys.current().toRSAKey().toPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(idp.keys.current().getKeyID())
                        .build(),
                idp.claims("alice-sub", Instant.now(), 600).build());
        forged.sign(new MACSigner(publicKey));

        assertEquals(AuthResult.failure(), present(provider(), forged.serialize()));
    }

    @Test
    void anAlgorithmOutsideRs256AndEs256IsRefusedThoughTheSignatureIsGood() {
        String rs512 = idp.sign(
                        idp.claims("alice-sub", Instant.now(), 600).build(), JWSAlgorithm.RS512, JOSEObjectType.JWT)
                .serialize();
        String ps256 = idp.sign(
                        idp.claims("alice-sub", Instant.now(), 600).build(), JWSAlgorithm.PS256, JOSEObjectType.JWT)
                .serialize();

        OidcAuthProvider provider = provider();
        assertEquals(AuthResult.failure(), present(provider, rs512));
        assertEquals(AuthResult.failure(), present(provider, ps256));
    }

    @Test
    void aTokenOfAnotherTypeIsRefused() {
        String logout = idp.sign(
                        idp.claims("alice-sub", Instant.now(), 600).build(),
                        JWSAlgorithm.RS256,
                        new JOSEObjectType("logout+jwt"))
                .serialize();

        assertEquals(AuthResult.failure(), present(provider(), logout));
    }

    @Test
    void anRfc9068AccessTokenTypeIsAccepted() {
        String atJwt = idp.sign(
                        idp.claims("alice-sub", Instant.now(), 600).build(),
                        JWSAlgorithm.RS256,
                        new JOSEObjectType("at+jwt"))
                .serialize();

        assertEquals(AuthStatus.SUCCESS, present(provider(), atJwt).status());
    }

    @Test
    void somethingThatIsNotAJwtIsRefused() {
        OidcAuthProvider provider = provider();

        assertEquals(AuthResult.failure(), present(provider, "opaque-token-value"));
        assertEquals(AuthResult.failure(), present(provider, "a".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1)));
    }

    // ---------------------------------------------------------------- key rotation at the provider

    @Test
    void aRotatedKeyIsFollowedWithoutARestart() {
        OidcAuthProvider provider = provider();
        String before = idp.aliceToken();
        assertEquals(AuthStatus.SUCCESS, present(provider, before).status(), "key-1 fetched and cached");

        idp.keys.rotate(); // the provider now signs with key-2 and publishes only key-2
        String after = idp.aliceToken();

        assertEquals(AuthStatus.SUCCESS, present(provider, after).status(), "key-2 fetched on its unknown kid");
        assertEquals(AuthResult.failure(), present(provider, before), "key-1 is no longer published: its tokens fail");
    }

    // ---------------------------------------------------------------- availability

    @Test
    void unreachableKeysMakeTheProviderUnavailable() {
        OidcAuthProvider provider = provider(); // discovered while the server runs
        String token = idp.aliceToken();
        idp.stop();

        AuthResult result = present(provider, token);

        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result::toString);
        assertTrue(result.reason().contains("/wh/jwks"), result.reason());
        assertFalse(result.reason().contains(token), "the token is never in a reason");
    }

    @Test
    void aProviderDownAtActivationIsUnavailableUntilItAnswers() throws Exception {
        int port = idp.port();
        idp.stop();
        OidcAuthProvider provider = provider(); // activation does not fail
        assertEquals(Set.of(CredentialKind.APPROVAL, CredentialKind.BEARER_TOKEN), provider.credentialKinds());

        AuthResult down = present(provider, "x.y.z");
        assertEquals(AuthStatus.UNAVAILABLE, down.status());
        assertTrue(down.reason().contains("cannot be discovered"), down.reason());

        idp.startOn(port);
        String token = idp.aliceToken();
        assertEquals(
                AuthStatus.UNAVAILABLE,
                present(provider, token).status(),
                "within the pause after a failure, the provider is not asked again");

        clock.advance(ProviderMetadataCache.RETRY_AFTER.plusSeconds(1));
        assertEquals(AuthStatus.SUCCESS, present(provider, token).status(), "discovered at the next login");
    }

    // ---------------------------------------------------------------- the AuthProvider contract

    @Test
    void kindsAndPromptsFollowTheConfiguration() throws IOException {
        assertEquals(
                Set.of(CredentialKind.APPROVAL, CredentialKind.BEARER_TOKEN),
                provider().credentialKinds());
        assertEquals("Access token", provider.prompt(CredentialKind.BEARER_TOKEN));
        provider.close();

        OidcAuthProvider tokensOnly =
                provider(Map.of("deviceGrant", false, "bearerTokenPrompt", "Corporate SSO token"));
        assertEquals(Set.of(CredentialKind.BEARER_TOKEN), tokensOnly.credentialKinds());
        assertEquals("Corporate SSO token", tokensOnly.prompt(CredentialKind.BEARER_TOKEN));
        assertEquals("oidc", tokensOnly.method());
    }

    @Test
    void tokensAreRefusedWhenTheConfigurationDoesNotAcceptThem() {
        OidcAuthProvider provider = provider(Map.of("acceptBearerTokens", false));

        assertEquals(AuthResult.failure(), present(provider, idp.aliceToken()));
        assertEquals(
                AuthResult.failure(),
                provider.authenticate(
                        AuthRequest.firstFactor(new PasswordCredential("alice", new char[] {'x'}), null)));
    }

    @Test
    void asAFurtherFactorTheTokenMustBeTheSameUser() {
        OidcAuthProvider provider = provider();
        String token = idp.aliceToken();

        AuthResult asBob = provider.authenticate(
                new AuthRequest(new BearerToken(token), null, Identity.of("bob"), List.of("password")));
        AuthResult asAlice = provider.authenticate(
                new AuthRequest(new BearerToken(token), null, Identity.of("alice"), List.of("password")));

        assertEquals(AuthResult.failure(), asBob);
        assertEquals(AuthStatus.SUCCESS, asAlice.status());
    }
}
