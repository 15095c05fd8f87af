package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks JWTs of one identity provider: the signature with a key of the provider's JWK set, the
 * algorithm, the type, the issuer, the audience and the time window. Built on Nimbus's
 * {@link DefaultJWTProcessor}; thread-safe, like it.
 *
 * <p><b>Keys.</b> The JWK set comes from the provider's {@code jwks_uri} through
 * {@link JWKSourceBuilder}: cached for five minutes, and fetched again at once when a token names a
 * key ({@code kid}) that the cached set lacks, so that a key rotation at the provider is followed
 * without a restart. Fetches are rate-limited (Nimbus allows two per interval), so that tokens with
 * made-up key IDs cannot make us hammer the provider; a token whose key is unknown and cannot be
 * fetched again yet is refused. No refresh-ahead: it would need a thread pool in the bundle, and a fetch
 * when the cache lapses costs one request thread one round trip every five minutes.
 *
 * <p><b>Algorithms.</b> Only RS256 and ES256, the asymmetric algorithms that providers sign with:
 * {@code none} is refused by the processor, and an HMAC algorithm is never accepted, so that a token
 * "signed" with the provider's public key as an HMAC secret is worthless.
 *
 * <p><b>Time.</b> {@code exp} and {@code nbf} are checked against the injected {@link Clock}, with the
 * configured skew (Nimbus's own check, given both).
 *
 * <p><b>Answers.</b> A token that fails a check raises {@link InvalidTokenException}; a JWK set that
 * cannot be fetched raises {@link ProviderUnavailableException}, because then nothing can be said about
 * the token.
 */
final class TokenVerifier implements Closeable {

    /** The signature algorithms accepted: asymmetric ones only. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    /** Longer tokens are refused before parsing: real ones are a few kilobytes. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    /** The JWK set's size limit: a provider's set is a few kilobytes. */
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    /** How long a fetched JWK set is used before it is fetched again (Nimbus's default). */
    private static final Duration JWKS_CACHE_TIME = Duration.ofMinutes(5);

    /** JWT access tokens (RFC 9068) say so in their type; ID tokens and older access tokens say JWT or nothing. */
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private static final JOSEObjectType APPLICATION_AT_JWT = new JOSEObjectType("application/at+jwt");

    private final URL jwksUrl;
    private final String clientId;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> bearerTokens;
    private final DefaultJWTProcessor<SecurityContext> idTokens;
    private final DefaultJWTProcessor<SecurityContext> issuedAccessTokens;

    /**
     * @param jwksUrl the provider's {@code jwks_uri}
     * @param refreshInterval the rate limit's interval: at most two fetches of the JWK set in it
     */
    TokenVerifier(OidcConfiguration config, URL jwksUrl, Clock clock, Duration refreshInterval) {
        this.jwksUrl = jwksUrl;
        this.clientId = config.clientId().getValue();
        int timeout = config.httpTimeoutMillis();
        this.keys = JWKSourceBuilder.<SecurityContext>create(
                        jwksUrl, new DefaultResourceRetriever(timeout, timeout, JWKS_SIZE_LIMIT))
                .cache(JWKS_CACHE_TIME.toMillis(), 2L * timeout) // a fetch may take a connect and a read timeout
                .refreshAheadCache(false)
                .rateLimited(refreshInterval.toMillis())
                .build();
        JWSVerificationKeySelector<SecurityContext> selector = new JWSVerificationKeySelector<>(ALGORITHMS, keys);
        String issuer = config.issuer().getValue();
        Duration skew = config.clockSkew();
        // a bearer token may be an access token for our audience or an ID token issued to our client
        Set<String> audiences = new HashSet<>(List.of(config.audience(), clientId));
        this.bearerTokens = processor(
                selector, new ClockedClaimsVerifier(clock, skew, audiences, issuer, Set.of("iss", "sub", "exp")));
        this.idTokens = processor(
                selector,
                new ClockedClaimsVerifier(
                        clock, skew, Set.of(clientId), issuer, Set.of("iss", "sub", "aud", "exp", "iat")));
        // an access token that came straight from the token endpoint is meant for whatever resource the
        // provider chose (Keycloak: "account"), so any audience; it is read only for the groups claim
        this.issuedAccessTokens =
                processor(selector, new ClockedClaimsVerifier(clock, skew, null, issuer, Set.of("iss", "exp")));
    }

    /**
     * Verifies a token that a client presented: an access token for the configured audience or an ID
     * token issued to our client.
     */
    JWTClaimsSet verifyBearer(String token) throws InvalidTokenException, ProviderUnavailableException {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        try {
            return bearerTokens.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a JWT: " + e.getMessage(), e);
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(e.getMessage(), e);
        } catch (JOSEException e) {
            throw keyFailure(e);
        }
    }

    /**
     * Verifies the ID token of a token response (OIDC Core 3.1.3.7): besides signature, issuer and time,
     * the audience is our client and so is the authorized party where the token names one.
     */
    JWTClaimsSet verifyIdToken(JWT idToken) throws InvalidTokenException, ProviderUnavailableException {
        JWTClaimsSet claims = process(idTokens, idToken);
        Object azp = claims.getClaim("azp");
        if (azp != null && !clientId.equals(azp)) {
            throw new InvalidTokenException("the ID token's authorized party (azp) is another client");
        }
        return claims;
    }

    /** Verifies an access token that the token endpoint has just issued: signature, issuer, time; any audience. */
    JWTClaimsSet verifyIssuedAccessToken(JWT accessToken) throws InvalidTokenException, ProviderUnavailableException {
        return process(issuedAccessTokens, accessToken);
    }

    /** Releases the JWK source's cache. */
    @Override
    public void close() throws IOException {
        if (keys instanceof Closeable closeable) {
            closeable.close();
        }
    }

    private JWTClaimsSet process(DefaultJWTProcessor<SecurityContext> processor, JWT jwt)
            throws InvalidTokenException, ProviderUnavailableException {
        try {
            return processor.process(jwt, null);
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(e.getMessage(), e);
        } catch (JOSEException e) {
            throw keyFailure(e);
        }
    }

    /**
     * What a failed key lookup means. The rate limit stopped one more fetch for a key ID that the
     * recently fetched set lacks: an unknown key, so an invalid token, returned for the caller to
     * throw. The JWK set could not be fetched or read: nothing can be said about the token, so the
     * provider is unavailable, thrown from here.
     */
    private InvalidTokenException keyFailure(JOSEException e) throws ProviderUnavailableException {
        if (e instanceof RateLimitReachedException) {
            return new InvalidTokenException("the token's key is not in the provider's recently fetched key set", e);
        }
        if (e instanceof KeySourceException) {
            throw new ProviderUnavailableException(
                    "The provider's keys at " + jwksUrl + " cannot be fetched: " + e.getMessage(), e);
        }
        return new InvalidTokenException(e.getMessage(), e);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(
            JWSVerificationKeySelector<SecurityContext> selector, DefaultJWTClaimsVerifier<SecurityContext> claims) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, AT_JWT, APPLICATION_AT_JWT, null));
        processor.setJWSKeySelector(selector);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    /** Nimbus's claims checks, with the time taken from our clock instead of the system's. */
    private static final class ClockedClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;

        /** @param audiences the accepted {@code aud} values, or {@code null} for any */
        ClockedClaimsVerifier(Clock clock, Duration skew, Set<String> audiences, String issuer, Set<String> required) {
            super(audiences, new JWTClaimsSet.Builder().issuer(issuer).build(), required, null);
            this.clock = clock;
            setMaxClockSkew((int) skew.toSeconds());
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }
    }
}
