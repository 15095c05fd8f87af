package dev.wirehaven.store.postgres.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database password changed without a restart: the operator sets the role's new password in
 * PostgreSQL, writes it into the {@code password.file}, and every node uses it for its new connections
 * within {@link #CHECK_SECONDS} (the open ones stay: PostgreSQL checks a password only at login). A
 * file that is now refused (open to others, another owner, empty) leaves the password in use as it was,
 * with an ERROR that names the configuration, the key, the file and the fix; its content is never logged.
 *
 * <p>The file is read again only when its modification time, size or inode changed since the last read,
 * so a check is one {@code stat}.
 */
final class PasswordRotation {

    /** How often the file is looked at; a rotation is complete on every node within this. */
    static final long CHECK_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(PasswordRotation.class);

    private final PasswordFile file;
    private final UserPrincipal processUser;
    private final Consumer<String> use;
    /** What the file looked like when it was last read (or refused); null before the first look. */
    private Object seen;

    /**
     * @param file the configured password file, read once already (at activation)
     * @param processUser who must own it (null: not checked)
     * @param use gives the new password to the connections made from now on
     */
    PasswordRotation(PasswordFile file, UserPrincipal processUser, Consumer<String> use) {
        this.file = file;
        this.processUser = processUser;
        this.use = use;
        this.seen = fingerprint();
    }

    /**
     * One look at the file: when it changed, reads and checks it, and gives its password on.
     *
     * @return true when a new password was taken
     */
    synchronized boolean check() {
        Object now = fingerprint();
        if (Objects.equals(now, seen)) {
            return false;
        }
        seen = now;
        String password;
        try {
            password = file.read(processUser);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; new connections keep using the password read before", e.getMessage());
            return false;
        }
        use.accept(password);
        LOG.info("The database password in {} changed: new connections use it, open ones stay", file);
        return true;
    }

    /** Modification time, size and file key: what changes when the file is rewritten or replaced. */
    private Object fingerprint() {
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
            return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
