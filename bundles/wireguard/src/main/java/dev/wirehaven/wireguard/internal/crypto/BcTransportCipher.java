package dev.wirehaven.wireguard.internal.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Transport AEAD on BouncyCastle's ChaCha20 and Poly1305, composed as RFC 8439 §2.8 describes
 * (no additional data): the one-time Poly1305 key is the first 32 bytes of keystream block 0, the
 * data is encrypted from block 1 on, and the tag covers the ciphertext, its zero padding to 16
 * bytes and the two 64-bit little-endian lengths.
 *
 * <p>Why not BouncyCastle's own {@code ChaCha20Poly1305}: it copies its input to a new array
 * whenever input and output overlap, which in place is every packet (about 1.4 KB of copying and
 * garbage per packet, 70-80% of all allocation of a device on JDK 17 under load). The stream cipher
 * and the MAC used here work in place as they are. {@link #open} also checks the tag before it
 * decrypts, so a forged packet costs one MAC pass and leaves the buffer as it was.
 */
final class BcTransportCipher implements TransportCipher {

    private static final int TAG = 16;
    private static final byte[] ZEROS = new byte[64];

    private final ChaCha7539Engine chacha = new ChaCha7539Engine();
    private final Poly1305 poly = new Poly1305();
    private final byte[] nonce = new byte[12];
    private final byte[] block0 = new byte[64];
    /** AD length (always 0) then ciphertext length, 64-bit little-endian each. */
    private final byte[] lengths = new byte[16];

    private final byte[] tag = new byte[TAG];

    @Override
    public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
        start(key, counter);
        chacha.processBytes(buf, off, len, buf, off);
        authenticate(buf, off, len, buf, off + len);
        return len + TAG;
    }

    @Override
    public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
        if (len < TAG) {
            return -1;
        }
        int n = len - TAG;
        start(key, counter);
        authenticate(buf, off, n, tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG, tag, 0, buf, off + n)) {
            return -1;
        }
        chacha.processBytes(buf, off, n, buf, off);
        return n;
    }

    /** Keys ChaCha20 for this counter's nonce and Poly1305 with keystream block 0; the stream then stands at block 1. */
    private void start(TransportKey key, long counter) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        chacha.init(true, new ParametersWithIV(key.bc(), nonce)); // copies the nonce
        chacha.processBytes(ZEROS, 0, ZEROS.length, block0, 0);
        KeyParameter oneTimeKey = new KeyParameter(block0, 0, 32); // copies the first 32 bytes
        poly.init(oneTimeKey);
        // best effort: the MAC keeps its own form of the key until the next init
        Arrays.fill(oneTimeKey.getKey(), (byte) 0);
        Arrays.fill(block0, (byte) 0);
    }

    private void authenticate(byte[] ciphertext, int off, int len, byte[] out, int outOff) {
        poly.update(ciphertext, off, len);
        int pad = -len & 15;
        if (pad != 0) {
            poly.update(ZEROS, 0, pad);
        }
        for (int i = 0; i < 8; i++) {
            lengths[8 + i] = (byte) ((long) len >>> (8 * i));
        }
        poly.update(lengths, 0, lengths.length);
        poly.doFinal(out, outOff);
    }

    @Override
    public String name() {
        return "bc";
    }
}
