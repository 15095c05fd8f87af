package dev.wirehaven.wireguard.internal.crypto;

/**
 * Transport AEAD on libsodium's {@code crypto_aead_chacha20poly1305_ietf_*_detached} (no additional
 * data), through a per-instance native block ({@link NativeScratch}): the packet is copied in, sealed
 * or opened there in place, and copied back.
 *
 * <p>{@link #open} copies back only when the tag verified: libsodium checks the tag before it
 * decrypts and on a mismatch zeroes its output, which is the native block, so the caller's buffer is
 * left as it was. Create through {@link TransportCiphers}, which loads the library and checks the
 * known answers first.
 */
final class SodiumTransportCipher implements TransportCipher {

    private static final int TAG = 16;

    private final NativeScratch scratch = new NativeScratch(this);

    @Override
    public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len + TAG, buf.length);
        scratch.reserve(len + TAG);
        scratch.keyAndNonce(key, counter);
        scratch.copyIn(buf, off, len);
        long base = scratch.base();
        long data = base + NativeScratch.DATA;
        int rc = LibSodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                data, data + len, 0, data, len, 0, 0, 0, base + NativeScratch.NONCE, base + NativeScratch.KEY);
        if (rc != 0) {
            throw new IllegalStateException("crypto_aead_chacha20poly1305_ietf_encrypt_detached failed: " + rc);
        }
        scratch.copyOut(buf, off, len + TAG);
        return len + TAG;
    }

    @Override
    public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
        if (len < TAG) {
            return -1;
        }
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int n = len - TAG;
        scratch.stage(key, counter, buf, off, len);
        long base = scratch.base();
        long data = base + NativeScratch.DATA;
        int rc = LibSodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                data, 0, data, n, data + n, 0, 0, base + NativeScratch.NONCE, base + NativeScratch.KEY);
        if (rc != 0) {
            return -1;
        }
        scratch.copyOut(buf, off, n);
        return n;
    }

    @Override
    public String name() {
        return "sodium";
    }
}
