package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC provider for the tests: mock-oauth2-server in this JVM on a free loopback port, with
 * discovery, JWKS and token endpoints under the issuer {@code http://localhost:<port>/wh}, signing
 * with {@link RotatingKeys}. It has no device authorization grant (see STACK-NEXT); the device
 * tests use it for discovery, keys and ID tokens.
 */
final class MockIdentityProvider implements AutoCloseable {

    /** The issuer ID: the path under which the server serves this provider. */
    static final String ISSUER_ID = "wh";

    /** The client that our provider is configured as. */
    static final String CLIENT_ID = "wirehaven-vpn";

    final RotatingKeys keys = new RotatingKeys();
    private MockOAuth2Server server;
    private int port;

    /** Starts on a free port. */
    static MockIdentityProvider start() {
        MockIdentityProvider provider = new MockIdentityProvider();
        provider.startOn(0);
        return provider;
    }

    /** Starts (again) on {@code port}, 0 for a free one; the keys stay. */
    void startOn(int wanted) {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
        server.start(InetAddress.getLoopbackAddress(), wanted);
        port = server.baseUrl().port();
        warmUp();
    }

    /**
     * Asks for the discovery document once with a generous timeout: the server's first answer in a JVM
     * loads Kotlin, Jackson and FreeMarker and can take longer than the provider's HTTP timeout on a
     * busy machine, which would make the first test's discovery fail for a reason of the test's own.
     */
    private void warmUp() {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) server.wellKnownUrl(ISSUER_ID).url().openConnection();
            connection.setConnectTimeout(60_000);
            connection.setReadTimeout(60_000);
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mock-oauth2-server does not answer on port " + port, e);
        }
    }

    int port() {
        return port;
    }

    /** The issuer: {@code http://localhost:<port>/wh}, as the discovery document names it. */
    String issuer() {
        return "http://localhost:" + port + "/" + ISSUER_ID;
    }

    /** A configuration of our provider for this issuer, {@code more} on top. */
    Map<String, Object> configuration(Map<String, ?> more) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("issuer", issuer(), "clientId", CLIENT_ID));
        values.putAll(more);
        return values;
    }

    /** An access token the server signs: iat and nbf now, exp now + {@code lifetimeSeconds}. */
    String accessToken(String subject, String audience, Map<String, Object> claims, long lifetimeSeconds) {
        return server.issueToken(ISSUER_ID, subject, audience, claims, lifetimeSeconds)
                .serialize();
    }

    /**
     * An ID token as the token endpoint issues it to our client after a login: audience and
     * authorized party our client, signed by the server.
     */
    String idToken(String subject, Map<String, Object> claims, long lifetimeSeconds) {
        return server.issueToken(
                        ISSUER_ID,
                        CLIENT_ID,
                        new DefaultOAuth2TokenCallback(
                                ISSUER_ID,
                                subject,
                                JOSEObjectType.JWT.getType(),
                                List.of(CLIENT_ID),
                                claims,
                                lifetimeSeconds))
                .serialize();
    }

    /** An access token for {@code alice} in {@code vpn-users} and {@code ops}, audience our client, valid an hour. */
    String aliceToken() {
        return accessToken(
                "alice-sub",
                CLIENT_ID,
                Map.of(
                        "preferred_username",
                        "alice",
                        "email",
                        "alice@example.com",
                        "groups",
                        List.of("vpn-users", "ops")),
                3600);
    }

    /**
     * An ID token from the provider's token endpoint, as a login gets it: the password grant for
     * {@code username}, issued to our client, with {@code claims} added.
     */
    String idTokenFromTokenEndpoint(String username, Map<String, Object> claims) throws Exception {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(
                ISSUER_ID, username, JOSEObjectType.JWT.getType(), List.of(CLIENT_ID), claims, 3600));
        TokenRequest request = new TokenRequest(
                server.tokenEndpointUrl(ISSUER_ID).uri(),
                new ClientSecretBasic(new ClientID(CLIENT_ID), new Secret("not checked")),
                new ResourceOwnerPasswordCredentialsGrant(username, new Secret("not checked")),
                new Scope("openid"));
        TokenResponse response =
                OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            throw new IllegalStateException(
                    "the token endpoint refused: " + response.toErrorResponse().getErrorObject());
        }
        return ((OIDCTokenResponse) response).getOIDCTokens().getIDTokenString();
    }

    /** Claims as this provider would issue them, for tokens that the test signs itself. */
    JWTClaimsSet.Builder claims(String subject, Instant issuedAt, long lifetimeSeconds) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(subject)
                .audience(CLIENT_ID)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(lifetimeSeconds)));
    }

    /** Signs {@code claims} with the server's current key, with header {@code alg} and {@code typ}. */
    SignedJWT sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JOSEObjectType type) {
        JWK key = keys.current();
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.toRSAKey());
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(algorithm)
                            .keyID(key.getKeyID())
                            .type(type)
                            .build(),
                    claims);
            jwt.sign(signer);
            return jwt;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with RS256 (or ES256 for an EC key) and type JWT. */
    String sign(JWTClaimsSet claims) {
        JWSAlgorithm algorithm = keys.algorithm();
        return sign(claims, algorithm, JOSEObjectType.JWT).serialize();
    }

    /** Stops the server: its endpoints, the keys included, stop answering. */
    void stop() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
