package dev.wirehaven.wireguard.internal.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Transport AEAD on BouncyCastle's {@link ChaCha20Poly1305}: as fast as the JDK cipher on JDK 17
 * and allocating about ten times less per packet (only the parameters object and the nonce).
 */
final class BcTransportCipher implements TransportCipher {

    private final ChaCha20Poly1305 seal = new ChaCha20Poly1305();
    private final ChaCha20Poly1305 open = new ChaCha20Poly1305();

    @Override
    public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
        seal.init(true, new ParametersWithIV(key.bc(), ChaChaPoly.nonce(counter)));
        int n = seal.processBytes(buf, off, len, buf, off);
        try {
            return n + seal.doFinal(buf, off + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    @Override
    public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
        if (len < 16) {
            return -1;
        }
        open.init(false, new ParametersWithIV(key.bc(), ChaChaPoly.nonce(counter)));
        int n = open.processBytes(buf, off, len, buf, off);
        try {
            return n + open.doFinal(buf, off + n);
        } catch (InvalidCipherTextException e) {
            return -1;
        }
    }

    @Override
    public String name() {
        return "bc";
    }
}
