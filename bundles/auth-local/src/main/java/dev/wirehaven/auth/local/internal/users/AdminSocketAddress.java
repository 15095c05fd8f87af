package dev.wirehaven.auth.local.internal.users;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the admin socket lives: {@code <data>/run/admin.sock}, the data directory being the
 * framework property {@code wirehaven.data} ({@code DataDirectory}) (default {@code data}, as for the admin credential and
 * the embedded store). Both the server and the command line find it here.
 */
final class AdminSocketAddress {

    static final String RUN_DIRECTORY = "run";
    static final String FILE = "admin.sock";

    private AdminSocketAddress() {}

    /**
     * Longest socket path in bytes: Linux's sun_path holds 108 bytes with the terminating NUL, and
     * Java refuses a longer path ("Unix domain path too long").
     */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * The socket of that data directory: {@code <data>/run/admin.sock}, or, when an installation
     * path is too deep for that to fit in sun_path, {@code <tmpdir>/wirehaven-<hash of the data
     * directory>/admin.sock}, so that the server and the command line still agree on one place.
     */
    static Path socketIn(Path dataDirectory) {
        Path preferred = dataDirectory.resolve(RUN_DIRECTORY).resolve(FILE);
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES) {
            return preferred;
        }
        String tag = HexFormat.of().formatHex(sha256(dataDirectory.toString())).substring(0, 16);
        return Path.of(System.getProperty("java.io.tmpdir"), "wirehaven-" + tag)
                .toAbsolutePath()
                .resolve(FILE);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
