package dev.wirehaven.wireguard.internal.noise;

import dev.wirehaven.wireguard.internal.crypto.X25519;
import java.util.Arrays;

/**
 * The interface's static key pair (S_priv, S_pub of whitepaper §5.4). Immutable: a private key change
 * replaces the whole identity.
 */
public final class StaticIdentity {

    private final byte[] privateKey;
    private final byte[] publicKey;

    public StaticIdentity(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = X25519.publicFrom(this.privateKey);
    }

    byte[] privateKey() {
        return privateKey;
    }

    /** A copy of the public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] publicKeyRef() {
        return publicKey;
    }

    /** DH(S_priv, remote): the precomputed static-static secret for a peer, or {@code null} if all zero. */
    public byte[] staticStatic(byte[] remotePublic) {
        return X25519.sharedSecret(privateKey, remotePublic);
    }

    /** Clears the private key once the identity is replaced (best effort: earlier copies may exist in GC'd arrays). */
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
    }
}
