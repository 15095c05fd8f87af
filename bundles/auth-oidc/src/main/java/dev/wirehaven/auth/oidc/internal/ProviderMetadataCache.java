package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's metadata (OpenID Connect Discovery: its endpoints and {@code jwks_uri}) and
 * the {@link TokenVerifier} over its keys, fetched once and kept for the life of the configuration.
 *
 * <p>The first fetch is tried at activation. A provider that does not answer then must not stop the
 * server from starting, nor keep this provider from registering: until a fetch succeeds every login
 * answers {@code UNAVAILABLE}, and the next login after {@link #RETRY_AFTER} tries again. The pause
 * keeps a provider that is down from costing each login a connect timeout. Metadata is not fetched
 * again after it succeeded: the keys, which do change, are refreshed by the verifier's JWK source,
 * and the endpoints of a provider change only with a new configuration.
 */
final class ProviderMetadataCache implements Closeable {

    /** How long after a failed fetch the next login tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ProviderMetadataCache.class);

    /** The metadata and the verifier built on it. */
    record Provider(OIDCProviderMetadata metadata, TokenVerifier verifier) {}

    /** Fetches the metadata of an issuer; Nimbus's discovery, replaceable in tests. */
    @FunctionalInterface
    interface Discovery {
        OIDCProviderMetadata fetch(Issuer issuer, int timeoutMillis) throws GeneralException, IOException;
    }

    private final Issuer issuer;
    private final int timeoutMillis;
    private final Clock clock;
    private final Discovery discovery;
    private final Function<OIDCProviderMetadata, TokenVerifier> verifiers;

    private volatile Provider provider;
    // guarded by this
    private Instant lastFailureAt;
    private String lastFailure;

    ProviderMetadataCache(
            Issuer issuer,
            int timeoutMillis,
            Clock clock,
            Discovery discovery,
            Function<OIDCProviderMetadata, TokenVerifier> verifiers) {
        this.issuer = issuer;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
        this.discovery = discovery;
        this.verifiers = verifiers;
    }

    /** Nimbus's discovery: {@code <issuer>/.well-known/openid-configuration}, its issuer checked against ours. */
    static OIDCProviderMetadata discover(Issuer issuer, int timeoutMillis) throws GeneralException, IOException {
        return OIDCProviderMetadata.resolve(issuer, timeoutMillis, timeoutMillis);
    }

    /** Tries the first fetch (at activation); a failure is logged and left for a later login to retry. */
    void prefetch() {
        try {
            current();
        } catch (ProviderUnavailableException e) {
            // logged by fetch
        }
    }

    /**
     * The provider's metadata and verifier, fetched now if not yet.
     *
     * @throws ProviderUnavailableException when the provider cannot be asked, or was not reachable a
     *         moment ago
     */
    Provider current() throws ProviderUnavailableException {
        Provider known = provider;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (provider != null) {
                return provider;
            }
            Instant now = clock.instant();
            if (lastFailureAt != null && now.isBefore(lastFailureAt.plus(RETRY_AFTER))) {
                throw new ProviderUnavailableException(lastFailure);
            }
            return fetch(now);
        }
    }

    private Provider fetch(Instant now) throws ProviderUnavailableException {
        OIDCProviderMetadata metadata;
        try {
            metadata = discovery.fetch(issuer, timeoutMillis);
            if (metadata.getJWKSetURI() == null) {
                throw new GeneralException("its metadata has no jwks_uri");
            }
        } catch (GeneralException | IOException | RuntimeException e) {
            String reason = "The OIDC provider " + issuer + " cannot be discovered (" + e.getMessage() + ")";
            if (lastFailureAt == null || !reason.equals(lastFailure)) {
                // once per kind of failure, not once per login
                LOG.warn(
                        "{}: its logins are unavailable until it answers; asked again after {} s",
                        reason,
                        RETRY_AFTER.toSeconds());
            }
            lastFailureAt = now;
            lastFailure = reason;
            throw new ProviderUnavailableException(reason, e);
        }
        Provider fetched = new Provider(metadata, verifiers.apply(metadata));
        provider = fetched;
        LOG.info(
                "OIDC provider {} discovered: keys {}, token endpoint {}, device endpoint {}",
                issuer,
                metadata.getJWKSetURI(),
                metadata.getTokenEndpointURI(),
                metadata.getDeviceAuthorizationEndpointURI() == null
                        ? "none"
                        : metadata.getDeviceAuthorizationEndpointURI());
        lastFailureAt = null;
        lastFailure = null;
        return fetched;
    }

    @Override
    public void close() throws IOException {
        Provider known = provider;
        if (known != null) {
            known.verifier().close();
        }
    }
}
