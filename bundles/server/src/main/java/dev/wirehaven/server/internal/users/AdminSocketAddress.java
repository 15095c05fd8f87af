package dev.wirehaven.server.internal.users;

import java.nio.file.Path;

/**
 * Where the admin socket lives: {@code <data>/run/admin.sock}, the data directory being the
 * framework property {@value #DATA_PROPERTY} (default {@code data}, as for the admin credential and
 * the embedded store). Both the server and the command line find it here.
 */
final class AdminSocketAddress {

    static final String DATA_PROPERTY = "wirehaven.data";
    static final String DATA_DEFAULT = "data";
    static final String RUN_DIRECTORY = "run";
    static final String FILE = "admin.sock";

    private AdminSocketAddress() {
    }

    /** The data directory named by the property's value, or the default when it is null or blank. */
    static Path dataDirectory(String configured) {
        String location = configured == null || configured.isBlank() ? DATA_DEFAULT : configured.trim();
        return Path.of(location).toAbsolutePath().normalize();
    }

    /** The socket in that data directory. */
    static Path socketIn(Path dataDirectory) {
        return dataDirectory.resolve(RUN_DIRECTORY).resolve(FILE);
    }
}
