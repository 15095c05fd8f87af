package dev.wirehaven.wireguard.internal.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.List;

/**
 * The part of OpenSSL 3's libcrypto EVP interface that ChaCha20-Poly1305 needs, JNA direct mapping
 * (static natives, pointers as {@code long} addresses). Debian's libssl3 ships only the versioned
 * {@code libcrypto.so.3}, so that name is tried after the plain one.
 */
final class LibCrypto {

    /** System property naming the library file to load instead of the defaults (a name or a path). */
    static final String PROPERTY = "wirehaven.openssl.library";

    static final List<String> DEFAULT_NAMES = List.of("crypto", "libcrypto.so.3");

    static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    static final int EVP_CTRL_AEAD_SET_TAG = 0x11;

    private static String version;
    private static long chacha20Poly1305;

    private LibCrypto() {}

    static native String OpenSSL_version(int type);

    static native long OpenSSL_version_num();

    static native long EVP_chacha20_poly1305();

    static native long EVP_CIPHER_CTX_new();

    static native void EVP_CIPHER_CTX_free(long ctx);

    static native int EVP_CipherInit_ex(long ctx, long cipher, long engine, long key, long iv, int enc);

    /** {@code out} may equal {@code in} (EVP refuses only partial overlap). */
    static native int EVP_CipherUpdate(long ctx, long out, long outl, long in, int inl);

    static native int EVP_CipherFinal_ex(long ctx, long out, long outl);

    static native int EVP_CIPHER_CTX_ctrl(long ctx, int type, int arg, long ptr);

    static native void ERR_clear_error();

    /**
     * Loads libcrypto from the first of {@code names} that opens and registers the natives (once per
     * JVM). OpenSSL 1.1 would do as well (the same functions), but 3.x is what is tested.
     *
     * @return OpenSSL's version text
     * @throws UnsatisfiedLinkError naming what was tried, when none of the names opens or a function is missing
     */
    static synchronized String load(List<String> names) {
        NativeLibrary library = NativeLoading.open("libcrypto", names);
        if (version == null) {
            Native.register(LibCrypto.class, library);
            long cipher = EVP_chacha20_poly1305();
            if (cipher == 0) {
                throw new UnsatisfiedLinkError("EVP_chacha20_poly1305() returned NULL");
            }
            chacha20Poly1305 = cipher;
            version = OpenSSL_version(0);
        }
        return version;
    }

    /** The {@code EVP_CIPHER} of ChaCha20-Poly1305; after {@link #load}. */
    static synchronized long chacha20Poly1305() {
        return chacha20Poly1305;
    }
}
