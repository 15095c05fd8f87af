package dev.wirehaven.wireguard.internal.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.List;

/**
 * libsodium's IETF ChaCha20-Poly1305, JNA direct mapping (static natives, no per-call objects;
 * pointers are passed as {@code long} addresses). Registered with the first library that loads;
 * {@code sodium_init()} is called once then.
 *
 * <p>Debian's libsodium23 ships only the versioned {@code libsodium.so.23} (the unversioned name comes
 * with the -dev package), so that name is tried after the plain one.
 */
final class LibSodium {

    /** System property naming the library file to load instead of the defaults (a name or a path). */
    static final String PROPERTY = "wirehaven.sodium.library";

    static final List<String> DEFAULT_NAMES = List.of("sodium", "libsodium.so.23");

    private static String version;

    private LibSodium() {}

    static native int sodium_init();

    static native String sodium_version_string();

    /** {@code c} may equal {@code m} (libsodium documents in-place operation). */
    static native int crypto_aead_chacha20poly1305_ietf_encrypt_detached(
            long c, long mac, long maclenP, long m, long mlen, long ad, long adlen, long nsec, long npub, long k);

    /**
     * Verifies the tag over {@code c} first; on a mismatch it writes zeros over {@code m} (libsodium
     * 1.0.18, aead_chacha20poly1305.c) and returns -1, so {@code m} must not be the caller's packet.
     */
    static native int crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            long m, long nsec, long c, long clen, long mac, long ad, long adlen, long npub, long k);

    /**
     * Loads libsodium from the first of {@code names} that opens, registers the natives (once per
     * JVM) and initialises it.
     *
     * @return libsodium's version string
     * @throws UnsatisfiedLinkError naming what was tried, when none of the names opens or a function is missing
     */
    static synchronized String load(List<String> names) {
        NativeLibrary library = NativeLoading.open("libsodium", names);
        if (version == null) {
            Native.register(LibSodium.class, library);
            if (sodium_init() < 0) {
                throw new UnsatisfiedLinkError("sodium_init() failed");
            }
            version = sodium_version_string();
        }
        return version;
    }
}
