package dev.wirehaven.auth.totp.internal.factor;

import java.nio.file.Path;

/**
 * The server's data directory, the framework property {@value #PROPERTY} (default {@value #DEFAULT},
 * relative to the server's working directory, which is the installation), as the store and the local
 * users find it: the key file and the enrollment images live there.
 */
final class DataDirectory {

    static final String PROPERTY = "wirehaven.data";
    static final String DEFAULT = "data";

    private DataDirectory() {}

    /** The directory named by the property's value, or the default when it is null or blank. */
    static Path of(String configured) {
        String location = configured == null || configured.isBlank() ? DEFAULT : configured.strip();
        return Path.of(location).toAbsolutePath().normalize();
    }
}
