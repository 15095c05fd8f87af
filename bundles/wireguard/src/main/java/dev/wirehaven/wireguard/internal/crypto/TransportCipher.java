package dev.wirehaven.wireguard.internal.crypto;

/**
 * ChaCha20-Poly1305 for transport data (whitepaper §5.4.6), in place in a heap array, with the
 * nonce made from the message counter. An instance is not thread-safe: each thread that seals or
 * opens keeps its own (see {@link TransportCiphers}).
 */
public interface TransportCipher {

    /**
     * Encrypts {@code buf[off..off+len)} in place and writes the 16-byte tag right after it.
     *
     * @return {@code len + 16}
     */
    int seal(TransportKey key, long counter, byte[] buf, int off, int len);

    /**
     * Decrypts {@code buf[off..off+len)} (ciphertext then tag) in place.
     *
     * @return the plaintext length ({@code len - 16}), or -1 if the tag does not verify
     */
    int open(TransportKey key, long counter, byte[] buf, int off, int len);

    /** The implementation's short name, for diagnostics ("jdk", "bc", "sodium" or "openssl"). */
    String name();
}
