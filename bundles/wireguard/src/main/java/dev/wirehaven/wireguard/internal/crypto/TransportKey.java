package dev.wirehaven.wireguard.internal.crypto;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One direction's ChaCha20-Poly1305 key of a transport keypair, prepared once for both cipher
 * implementations so that the per-packet path creates no key objects.
 *
 * <p>{@link #destroy()} clears the bytes that we own. The copies inside the JDK's
 * {@link SecretKeySpec} (which cannot be destroyed on JDK 17) and inside cipher objects that last
 * used the key are beyond our reach; they become garbage once the keypair is dropped.
 */
public final class TransportKey {

    private final byte[] raw;
    private final SecretKeySpec jdk;
    private final KeyParameter bc;

    public TransportKey(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("a ChaCha20-Poly1305 key is 32 bytes");
        }
        this.raw = key32.clone();
        this.jdk = new SecretKeySpec(raw, "ChaCha20");
        this.bc = new KeyParameter(raw);
    }

    SecretKeySpec jdk() {
        return jdk;
    }

    KeyParameter bc() {
        return bc;
    }

    /** Clears the key bytes we hold (best effort, see the class comment). */
    public void destroy() {
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(bc.getKey(), (byte) 0);
    }
}
