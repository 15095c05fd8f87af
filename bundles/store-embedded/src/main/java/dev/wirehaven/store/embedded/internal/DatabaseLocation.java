package dev.wirehaven.store.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the embedded database lives: {@code <data>/db/wirehaven}, the data directory being the
 * framework property {@value #DATA_PROPERTY} (default {@code data}, like the server's admin
 * credential). The {@code db} directory holds every user's password hash and every session's
 * token hash, so it is made owner-only (rwx------) whenever the store starts, not only when it is
 * created: the directory belongs to this bundle alone and no operator choice can be overruled.
 */
final class DatabaseLocation {

    /** Framework (or system) property that names the data directory; shared with the server bundle. */
    static final String DATA_PROPERTY = "wirehaven.data";

    static final String DATA_DEFAULT = "data";
    static final String DIRECTORY = "db";
    static final String NAME = "wirehaven";

    /**
     * PostgreSQL mode so that the server's one set of SQL runs here and on PostgreSQL; lower-case
     * identifiers and NULLs sorting last as PostgreSQL does them. DB_CLOSE_ON_EXIT is off because
     * H2's own shutdown hook would close the database under components that are still stopping;
     * the store closes it when it is deactivated. WRITE_DELAY=0: H2 otherwise keeps the last half
     * second of commits in memory and writes them in the background, so a kill -9 lost commits that
     * clients had already been told about (a token handed out, a session "configured"; found by
     * itests' SessionSetupKillIT). With 0 each commit reaches the file (the OS's page cache) before the
     * statement returns, which survives a killed process; a power cut is the OS's and disk's matter.
     * LOCK_TIMEOUT=10000: at the start every bundle that owns tables migrates its own at the same moment,
     * and DDL in H2 takes a lock on its system table; on a loaded machine one migration waited more than
     * H2's default second for another's and failed ("Timeout trying to lock table SYS"), leaving the
     * sessions stopped. Ten seconds is far more than any migration holds it; the server's own locking is
     * per session in Java, so no request waits on a row lock in normal work.
     */
    static final String SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    private DatabaseLocation(Path directory) {
        this.directory = directory;
    }

    /** The location under the data directory named by the property's value (the default when null or blank). */
    static DatabaseLocation inDataDirectory(String configured) {
        String data = configured == null || configured.isBlank() ? DATA_DEFAULT : configured.trim();
        return new DatabaseLocation(Path.of(data).toAbsolutePath().normalize().resolve(DIRECTORY));
    }

    /** The {@code db} directory. */
    Path directory() {
        return directory;
    }

    /** The file H2 writes ({@code wirehaven.mv.db}). */
    Path databaseFile() {
        return directory.resolve(NAME + ".mv.db");
    }

    /** The JDBC URL of the database, with the settings above. */
    String jdbcUrl() {
        return "jdbc:h2:file:" + directory.resolve(NAME) + SETTINGS;
    }

    /** Creates the directory (and a missing data directory) owner-only, and restricts it if it existed. */
    void prepare() throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory; the embedded store keeps its database there. "
                    + "Move the file away or set the framework property " + DATA_PROPERTY
                    + " to another data directory");
        }
        if (isPosix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // the umask may have removed bits from the attribute, and an existing directory keeps its own
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        } else {
            Files.createDirectories(directory);
            restrictWithFileFlags(directory.toFile());
        }
    }

    /**
     * Where POSIX bits do not exist: takes each permission from everyone, then gives it back to the
     * owner. A permission that the file system does not implement cannot be taken (java.io.File
     * answers false) and is left as it is; one that was taken must be given back to the owner, else
     * the store could not use its own directory.
     */
    static void restrictWithFileFlags(java.io.File f) throws IOException {
        boolean readTaken = f.setReadable(false, false);
        boolean writeTaken = f.setWritable(false, false);
        boolean executeTaken = f.setExecutable(false, false);
        if ((readTaken && !f.setReadable(true, true))
                || (writeTaken && !f.setWritable(true, true))
                || (executeTaken && !f.setExecutable(true, true))) {
            throw new IOException("cannot make " + f + " owner-only: a permission taken from everyone could not be"
                    + " given back to its owner");
        }
    }

    private static boolean isPosix(Path path) {
        Path probe = path;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        return probe != null && Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }

    @Override
    public String toString() {
        return directory.resolve(NAME).toString();
    }
}
