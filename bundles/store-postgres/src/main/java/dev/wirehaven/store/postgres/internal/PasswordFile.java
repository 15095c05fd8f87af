package dev.wirehaven.store.postgres.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * The file that holds the database password ({@code password.file}): one line, readable and
 * writable by the user the server runs as and by no one else. A file that others could read, or
 * that another user could replace, is refused rather than used: the password opens every user's
 * sessions and password hashes. Messages name the file, its mode and its owner, never its content.
 */
final class PasswordFile {

    static final String KEY = "password.file";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private final Path path;
    private final String where;

    private PasswordFile(Path path, String where) {
        this.path = path;
        this.where = where;
    }

    /**
     * The file named by the configured value, a relative path being taken from the installation
     * directory {@code home} (the framework property {@code wirehaven.home}), like the other files the
     * server's configurations name; {@code null} for an empty value, which means no password (trust
     * or peer authentication, or a password from {@code ~/.pgpass} that pgjdbc reads itself).
     *
     * @param where the configuration, for messages ("configuration ... (file ...)")
     */
    static PasswordFile named(String configured, String home, String where) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home.strip());
        return new PasswordFile(
                base.resolve(configured.strip()).toAbsolutePath().normalize(), where);
    }

    Path path() {
        return path;
    }

    /**
     * The password: the file's first line. Checked before it is read.
     *
     * @param processUser the user the server runs as, who must own the file
     * @throws IllegalArgumentException naming the configuration, {@value #KEY}, the file and the fix
     */
    String read(UserPrincipal processUser) {
        try {
            if (!Files.isRegularFile(path)) {
                throw refused(Files.exists(path) ? "is not a regular file" : "does not exist", createIt(processUser));
            }
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (view != null) {
                PosixFileAttributes attributes = view.readAttributes();
                Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
                open.addAll(attributes.permissions());
                open.retainAll(GROUP_OR_OTHERS);
                if (!open.isEmpty()) {
                    throw refused(
                            "is readable or writable by other users ("
                                    + PosixFilePermissions.toString(attributes.permissions()) + ")",
                            "make it owner-only: chmod 600 " + path
                                    + ", and change the database password if others may have read it");
                }
                if (processUser != null && !processUser.equals(attributes.owner())) {
                    throw refused(
                            "belongs to " + attributes.owner().getName() + ", not to " + processUser.getName()
                                    + ", the user the server runs as",
                            "chown " + processUser.getName() + " " + path);
                }
            }
            String content = Files.readString(path, StandardCharsets.UTF_8);
            int end = content.indexOf('\n');
            String line = end < 0 ? content : content.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw refused(
                        "has no password on its first line",
                        "write the database user's password into it, or set " + KEY
                                + " empty when the database needs no password (trust or peer authentication)");
            }
            return line;
        } catch (NoSuchFileException e) {
            throw refused("does not exist", createIt(processUser));
        } catch (IOException e) {
            // the exception names the file and the reason (permission denied, ...), nothing of its content
            throw refused("cannot be read (" + e + ")", "make it readable by the user the server runs as");
        }
    }

    private String createIt(UserPrincipal processUser) {
        return "write the database user's password into it on one line, then chmod 600 " + path
                + (processUser == null ? "" : " and chown " + processUser.getName() + " " + path)
                + "; or set " + KEY + " empty when the database needs no password";
    }

    private IllegalArgumentException refused(String problem, String fix) {
        return new IllegalArgumentException(where + ": " + KEY + " " + path + " " + problem + ": " + fix);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
