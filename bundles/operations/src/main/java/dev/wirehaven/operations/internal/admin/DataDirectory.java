package dev.wirehaven.operations.internal.admin;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's data directory, where state that must survive a restart lives (the admin
 * credential today; keys and the embedded store later). Its location is the framework property
 * {@value #PROPERTY}, by default {@code data} relative to the working directory; it is created
 * owner-only (rwx------) because it holds secrets.
 */
final class DataDirectory {

    /** Framework (or system) property that names the data directory. */
    static final String PROPERTY = "wirehaven.data";

    static final String DEFAULT = "data";

    private final Path path;

    private DataDirectory(Path path) {
        this.path = path;
    }

    /** The directory named by the property's value, or the default when the value is null or blank. */
    static DataDirectory at(String configured) {
        String location = configured == null || configured.isBlank() ? DEFAULT : configured.trim();
        return new DataDirectory(Path.of(location).toAbsolutePath().normalize());
    }

    Path path() {
        return path;
    }

    /**
     * Creates the directory owner-only if it does not exist.
     *
     * @return true when the directory grants nothing to other users (a directory that existed
     *         before may be more open; the caller warns about it)
     */
    boolean ensureExists() throws IOException {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IOException(path + " is not a directory; set the framework property " + PROPERTY
                    + " to a directory where Wirehaven may keep its data");
        }
        OwnerOnlyFiles.createDirectories(path);
        return OwnerOnlyFiles.isOwnerOnly(path);
    }

    /** Sets the existing directory to rwx------. */
    void restrictToOwner() throws IOException {
        OwnerOnlyFiles.restrictDirectory(path);
    }

    Path resolve(String name) {
        return path.resolve(name);
    }
}
