package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.wirehaven.api.auth.Approval;
import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenID Connect identity provider as an {@link AuthProvider}; {@link OidcProviderComponent}
 * registers it, one per factory configuration.
 *
 * <ul>
 *   <li>{@link CredentialKind#APPROVAL} (when {@code deviceGrant}): a person's login through the device
 *       authorization grant ({@link DeviceAuthorization}). The ID token of the approved login is
 *       verified ({@link TokenVerifier#verifyIdToken}) and gives the identity.
 *   <li>{@link CredentialKind#BEARER_TOKEN} (when {@code acceptBearerTokens}): automation presents a
 *       JWT access token for the configured audience, or an ID token issued to our client, verified
 *       against the provider's keys ({@link TokenVerifier#verifyBearer}).
 * </ul>
 *
 * <p>The identity ({@link ClaimsIdentity}) is valid until the token's {@code exp}, so the server
 * bounds the session by it. A token that fails any check answers the generic FAILURE (the reason goes
 * to a DEBUG line, never to the client); a provider that cannot be asked answers UNAVAILABLE with the
 * reason for the operator's log. As a further factor, the login must prove the user that the earlier
 * factors established.
 */
final class OidcAuthProvider implements AuthProvider, Closeable {

    /**
     * The interval of the key set's rate limit (Nimbus's default; it allows two fetches in it): a
     * rotation is followed at once, a flood of made-up key IDs costs the provider two requests per
     * interval at most.
     */
    static final Duration KEY_REFRESH_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthProvider.class);

    private final OidcConfiguration config;
    private final ProviderMetadataCache provider;
    private final DeviceAuthorization device;
    private final ClaimsIdentity identities;

    /**
     * The provider of {@code config}, wired to the identity provider through Nimbus, with its discovery
     * tried once (bounded by the HTTP timeout): what the component registers.
     */
    static OidcAuthProvider create(OidcConfiguration config, Clock clock) {
        return create(config, clock, ProviderMetadataCache::discover, KEY_REFRESH_INTERVAL);
    }

    /**
     * As {@link #create(OidcConfiguration, Clock)}, for tests: another discovery, another interval of
     * the key set's rate limit.
     */
    static OidcAuthProvider create(
            OidcConfiguration config,
            Clock clock,
            ProviderMetadataCache.Discovery discovery,
            Duration keyRefreshInterval) {
        ProviderMetadataCache provider =
                new ProviderMetadataCache(config.issuer(), config.httpTimeoutMillis(), clock, discovery, metadata -> {
                    try {
                        return new TokenVerifier(config, metadata.getJWKSetURI().toURL(), clock, keyRefreshInterval);
                    } catch (MalformedURLException e) {
                        throw new IllegalArgumentException("its jwks_uri is not a URL: " + e.getMessage(), e);
                    }
                });
        DeviceAuthorization device =
                new DeviceAuthorization(config, clock, new PendingApprovals(clock, PendingApprovals.DEFAULT_CAPACITY));
        provider.prefetch();
        return new OidcAuthProvider(config, provider, device);
    }

    OidcAuthProvider(OidcConfiguration config, ProviderMetadataCache provider, DeviceAuthorization device) {
        this.config = config;
        this.provider = provider;
        this.device = device;
        this.identities = new ClaimsIdentity(config.usernameClaim(), config.groupsClaim());
    }

    @Override
    public String method() {
        return config.method();
    }

    @Override
    public Set<CredentialKind> credentialKinds() {
        Set<CredentialKind> kinds = EnumSet.noneOf(CredentialKind.class);
        if (config.deviceGrant()) {
            kinds.add(CredentialKind.APPROVAL);
        }
        if (config.acceptBearerTokens()) {
            kinds.add(CredentialKind.BEARER_TOKEN);
        }
        return Set.copyOf(kinds);
    }

    @Override
    public String prompt(CredentialKind kind) {
        String configured = switch (kind) {
            case APPROVAL -> config.approvalPrompt();
            case BEARER_TOKEN -> config.bearerTokenPrompt();
            default -> null;
        };
        return configured == null ? kind.standardPrompt() : configured;
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        AuthResult result;
        try {
            if (request.credential() instanceof BearerToken token && config.acceptBearerTokens()) {
                result = bearer(token);
            } else if (request.credential() instanceof Approval approval && config.deviceGrant()) {
                result = approval(approval);
            } else {
                return AuthResult.failure();
            }
        } catch (ProviderUnavailableException e) {
            return AuthResult.unavailable(e.getMessage());
        }
        return sameUserAsEarlierFactors(request, result);
    }

    private AuthResult bearer(BearerToken token) throws ProviderUnavailableException {
        ProviderMetadataCache.Provider known = provider.current();
        try {
            JWTClaimsSet claims = known.verifier().verifyBearer(token.token());
            return AuthResult.success(identities.of(claims));
        } catch (InvalidTokenException e) {
            LOG.debug("{}: a presented token was refused: {}", config.method(), e.getMessage());
            return AuthResult.failure();
        }
    }

    private AuthResult approval(Approval approval) throws ProviderUnavailableException {
        ProviderMetadataCache.Provider known = provider.current();
        if (approval.isStart()) {
            return device.start(known.metadata());
        }
        return device.poll(known.metadata(), approval.reference(), tokens -> {
            try {
                return AuthResult.success(identityOf(known, tokens));
            } catch (InvalidTokenException e) {
                LOG.warn(
                        "{}: the provider's tokens for an approved device login were refused: {}",
                        config.method(),
                        e.getMessage());
                return AuthResult.failure();
            }
        });
    }

    /** The identity of an approved device login: the ID token's claims, the groups possibly from the access token. */
    private Identity identityOf(ProviderMetadataCache.Provider known, OIDCTokens tokens)
            throws InvalidTokenException, ProviderUnavailableException {
        JWTClaimsSet idToken = known.verifier().verifyIdToken(tokens.getIDToken());
        Optional<JWTClaimsSet> accessToken = Optional.empty();
        if (ClaimsIdentity.claim(idToken, config.groupsClaim()) == null) {
            accessToken = accessTokenClaims(known, tokens.getAccessToken());
        }
        return identities.of(idToken, accessToken);
    }

    /**
     * The access token's claims, when it is a JWT that verifies; else none, and the groups stay empty
     * rather than coming from claims nobody signed.
     */
    private Optional<JWTClaimsSet> accessTokenClaims(ProviderMetadataCache.Provider known, AccessToken token)
            throws ProviderUnavailableException {
        if (token == null) {
            return Optional.empty();
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.getValue());
        } catch (ParseException opaque) {
            return Optional.empty(); // an opaque access token has no claims to read
        }
        try {
            return Optional.of(known.verifier().verifyIssuedAccessToken(jwt));
        } catch (InvalidTokenException e) {
            LOG.warn(
                    "{}: the access token of a device login does not verify ({}); its groups claim is not used",
                    config.method(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** A further factor must be the same person; any other answer passes unchanged. */
    private static AuthResult sameUserAsEarlierFactors(AuthRequest request, AuthResult result) {
        if (result.isSuccess()
                && request.isFurtherFactor()
                && !result.identity()
                        .orElseThrow()
                        .user()
                        .equals(request.establishedIdentity().user())) {
            return AuthResult.failure();
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        provider.close();
    }

    @Override
    public String toString() {
        return "OidcAuthProvider[" + config.method() + ", " + config.issuer() + "]";
    }
}
