package dev.wirehaven.wireguard.internal.crypto;

import java.util.Objects;

/**
 * Transport AEAD on OpenSSL's EVP ChaCha20-Poly1305 (no additional data), through a per-instance
 * native block ({@link NativeScratch}) and one {@code EVP_CIPHER_CTX} per instance.
 *
 * <p>The context is set to the cipher once; per packet only the key, nonce and direction are set
 * ({@code EVP_CipherInit_ex} with a NULL cipher), which spares OpenSSL 3 its implicit algorithm
 * fetch on every packet. Open sets the expected tag, decrypts in the native block, and copies the
 * plaintext back only when {@code EVP_CipherFinal_ex} says the tag verified, so a forged packet
 * leaves the caller's buffer as it was.
 *
 * <p>Instances are per thread and long-lived: the context (which holds the last key) is freed with
 * {@code EVP_CIPHER_CTX_free}, which cleanses it, by a cleaner once the instance is unreachable.
 */
final class OpenSslTransportCipher implements TransportCipher {

    private static final int TAG = 16;

    private final NativeScratch scratch = new NativeScratch(this);
    private final long ctx;

    OpenSslTransportCipher() {
        long c = LibCrypto.EVP_CIPHER_CTX_new();
        if (c == 0) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
        }
        if (LibCrypto.EVP_CipherInit_ex(c, LibCrypto.chacha20Poly1305(), 0, 0, 0, 1) != 1) {
            LibCrypto.EVP_CIPHER_CTX_free(c);
            throw new IllegalStateException("EVP_CipherInit_ex(ChaCha20-Poly1305) failed");
        }
        ctx = c;
        NativeScratch.CLEANER.register(this, () -> LibCrypto.EVP_CIPHER_CTX_free(c));
    }

    @Override
    public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG, buf.length);
        scratch.reserve(len + TAG);
        scratch.keyAndNonce(key, counter);
        scratch.copyIn(buf, off, len);
        long base = scratch.base();
        long data = base + NativeScratch.DATA;
        long outLen = base + NativeScratch.OUT_LEN;
        if (LibCrypto.EVP_CipherInit_ex(ctx, 0, 0, base + NativeScratch.KEY, base + NativeScratch.NONCE, 1) != 1
                || (len > 0 && LibCrypto.EVP_CipherUpdate(ctx, data, outLen, data, len) != 1)
                || LibCrypto.EVP_CipherFinal_ex(ctx, data + len, outLen) != 1
                || LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG, data + len) != 1) {
            LibCrypto.ERR_clear_error();
            throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 seal failed");
        }
        scratch.copyOut(buf, off, len + TAG);
        return len + TAG;
    }

    @Override
    public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
        if (len < TAG) {
            return -1;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        int n = len - TAG;
        scratch.stage(key, counter, buf, off, len);
        long base = scratch.base();
        long data = base + NativeScratch.DATA;
        long outLen = base + NativeScratch.OUT_LEN;
        if (LibCrypto.EVP_CipherInit_ex(ctx, 0, 0, base + NativeScratch.KEY, base + NativeScratch.NONCE, 0) != 1
                || LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG, data + n) != 1
                || (n > 0 && LibCrypto.EVP_CipherUpdate(ctx, data, outLen, data, n) != 1)) {
            LibCrypto.ERR_clear_error();
            throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 open failed");
        }
        if (LibCrypto.EVP_CipherFinal_ex(ctx, data + n, outLen) != 1) {
            LibCrypto.ERR_clear_error(); // a wrong tag may leave an entry on this thread's error queue
            return -1;
        }
        scratch.copyOut(buf, off, n);
        return n;
    }

    @Override
    public String name() {
        return "openssl";
    }
}
