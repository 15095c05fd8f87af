package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.token.KeyProvider;

/**
 * The signing key of a mock-oauth2-server, which the test can replace while the server runs: a key
 * rotation at the provider. mock-oauth2-server's own {@link KeyProvider} keeps one key per issuer
 * for good and names it after the issuer; this one has a single current key, named
 * {@code key-1}, {@code key-2}, … so that a rotated key has a key ID the verifier has not seen. The
 * server signs with {@link #signingKey} and publishes it (alone) at its {@code jwks} endpoint.
 */
final class RotatingKeys extends KeyProvider {

    /**
     * RSA keys made once per test run and handed to every instance in the same order: a 2048-bit key
     * takes up to a second to make, and a rotation needs only a key this instance has not used yet.
     */
    private static final List<RSAKey> RSA_POOL = new ArrayList<>();

    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicReference<JWK> current = new AtomicReference<>();

    RotatingKeys() {
        super(List.of(), JWSAlgorithm.RS256.getName());
        rotate();
    }

    /** Replaces the signing key with a new RSA key (RS256); returns it. */
    JWK rotate() {
        int n = generation.incrementAndGet();
        JWK key = new RSAKey.Builder(pooledRsaKey(n - 1)).keyID("key-" + n).build();
        current.set(key);
        return key;
    }

    private static RSAKey pooledRsaKey(int index) {
        synchronized (RSA_POOL) {
            try {
                while (RSA_POOL.size() <= index) {
                    RSA_POOL.add(
                            new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate());
                }
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return RSA_POOL.get(index);
        }
    }

    /** Replaces the signing key with a new EC P-256 key (ES256); returns it. */
    JWK rotateToEc() {
        try {
            JWK key = new ECKeyGenerator(Curve.P_256)
                    .keyID("key-" + generation.incrementAndGet())
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
            current.set(key);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current private key. */
    JWK current() {
        return current.get();
    }

    @Override
    public JWK signingKey(String issuerId) {
        return current.get();
    }

    @Override
    public JWSAlgorithm algorithm() {
        return current.get() instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
    }

    @Override
    public String keyType() {
        return current.get() instanceof RSAKey ? KeyType.RSA.getValue() : KeyType.EC.getValue();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector == null ? List.of() : selector.select(new JWKSet(current.get()).toPublicJWKSet());
    }
}
