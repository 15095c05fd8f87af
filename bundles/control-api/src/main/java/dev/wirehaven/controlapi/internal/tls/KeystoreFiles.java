package dev.wirehaven.controlapi.internal.tls;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import org.slf4j.Logger;

/**
 * PKCS#12 keystores that the server writes itself, and the random passwords that open them. Jetty
 * needs a keystore file and its password; the password lives in an owner-only file beside it, so the
 * keystore is as safe as that file, and the password is only there because Jetty asks for one.
 */
final class KeystoreFiles {

    static final String TYPE = "PKCS12";
    /** The alias of the one key entry in the keystores the server writes. */
    static final String ALIAS = "wirehaven";

    private KeystoreFiles() {}

    /** A new password: 24 random bytes in URL-safe base64, 32 characters with no quoting trouble. */
    static String newPassword(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The password in {@code file}, the first line without surrounding blanks. */
    static String readPassword(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /**
     * Makes an existing file that holds a keystore password (or the keystore) owner-only when its group or
     * others could read or write it, and warns once, naming the file. It is fixed rather than refused: the
     * server runs as the file's owner, chmod 600 is exactly what the operator would be told to do, and
     * refusing would take the control API down over something the server can put right itself. What it
     * cannot undo is that the secret may have been read: {@code advice} says what to do about that.
     * Where the permissions cannot be changed (another user's file, a read-only file system), the warning
     * gives the command instead, and the server goes on: the file is as readable as it was before.
     *
     * @param holds what the file holds, for the message ("holds keystore.password")
     * @param advice what to do if the secret may have been read
     */
    static void restrictSecretFile(Path file, String holds, String advice, Logger log) {
        try {
            if (OwnerOnlyFiles.restrictFile(file)) {
                log.warn(
                        "The file {} {} and could be read by other users; the server made it owner-only (chmod 600"
                                + " {}). Whoever could read it may know the secret: {}",
                        file,
                        holds,
                        file,
                        advice);
            }
        } catch (IOException e) {
            log.warn(
                    "The file {} {}; the server cannot make it owner-only ({}). Run: chmod 600 {}",
                    file,
                    holds,
                    e.getMessage(),
                    file);
        }
    }

    static void writePassword(Path file, String password) throws IOException {
        OwnerOnlyFiles.replace(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The encoded PKCS#12 keystore with one key entry {@value #ALIAS}. */
    static byte[] encode(PrivateKey key, Certificate[] chain, String password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(TYPE);
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode a PKCS#12 keystore: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a PKCS#12 file.
     *
     * @throws IOException when it is not a keystore or the password does not open it
     * @throws GeneralSecurityException when the platform cannot read what it holds
     */
    static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
