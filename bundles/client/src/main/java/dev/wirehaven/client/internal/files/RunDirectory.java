package dev.wirehaven.client.internal.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The client's run directory ({@code /run/wirehaven-client} or the configured one) and the names of
 * its files there. A client that runs as root reads back what it finds there and acts on it: the undo
 * journal (rules to delete, a resolver file to put back), the state with the pid that
 * {@code disconnect} signals, the socket {@code access} talks to. So the directory must be this
 * process's effective user's (root's when run as root), writable by nobody else, and not a symbolic link
 * (checked without following it); anything else is refused before a file in it is read, with the
 * directory and the fix in the message. The client creates it owner-only (0700).
 *
 * <p>Its files are keyed by interface and network namespace, {@code <iface>.ns<inode><suffix>}: two
 * containers with their own networks but a shared {@code /run} can each have a {@code wh0}, and neither
 * sees (or stops, or undoes) the other's.
 */
public final class RunDirectory {

    private static final Pattern NAMESPACE = Pattern.compile("ns[0-9]{1,20}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_=+.-]{1,15}");

    private final Path path;
    private final String namespace;
    private final int owner;

    /** The directory at {@code path} for this process (its network namespace, its effective user). */
    public static RunDirectory of(Path path) {
        return new RunDirectory(path, NetworkNamespace.current(), EffectiveUser.uid());
    }

    /** The directory at {@code path} for this process's user, with the files of network namespace {@code namespace}. */
    public static RunDirectory of(Path path, String namespace) {
        return new RunDirectory(path, namespace, EffectiveUser.uid());
    }

    /** For tests: another namespace identity ({@code ns<digits>}) and another expected owner. */
    public RunDirectory(Path path, String namespace, int owner) {
        this.path = Objects.requireNonNull(path, "path");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a network namespace identity: " + namespace);
        }
        this.namespace = namespace;
        this.owner = owner;
    }

    public Path path() {
        return path;
    }

    public String namespace() {
        return namespace;
    }

    /** The file of interface {@code iface} in this namespace, e.g. {@code wh0.ns4026531840.json}. */
    public Path file(String iface, String suffix) {
        if (!INTERFACE.matcher(iface).matches()) {
            throw new IllegalArgumentException("not an interface name: " + iface);
        }
        return path.resolve(iface + "." + namespace + suffix);
    }

    /** Creates the directory owner-only when missing, then {@link #check}s it. */
    public void create() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                OwnerOnlyFiles.createDirectory(parent);
            }
            try {
                Files.createDirectory(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile (by another client): checked below like any other
            }
        }
        check();
    }

    /** {@link #check}s the directory when it exists; a missing one holds nothing to distrust. */
    public boolean checkIfPresent() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        check();
        return true;
    }

    /**
     * Refuses a directory that is a symbolic link, is not a directory, belongs to another user than this
     * process's effective one, or may be written by its group or others.
     */
    public void check() throws IOException {
        PosixFileAttributes a;
        int uid;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IOException("the run directory " + path + " does not exist", e);
        }
        String way = "; remove it (rm -r " + path + ") and let wirehaven-client create it, or set"
                + " WIREHAVEN_CLIENT_RUN_DIR to a directory of this user (uid " + owner + "), mode 0700";
        if (a.isSymbolicLink()) {
            throw new IOException(path + " is a symbolic link; refusing it as the run directory" + way);
        }
        if (!a.isDirectory()) {
            throw new IOException(path + " is not a directory; refusing it as the run directory" + way);
        }
        if (uid != owner) {
            throw new IOException("refusing the run directory " + path + ": it is owned by uid " + uid
                    + ", not by this process's user (uid " + owner + ")" + way);
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("refusing the run directory " + path + ": it is writable by group or others ("
                    + PosixFilePermissions.toString(a.permissions()) + "); chmod 700 " + path);
        }
    }

    /** This process's effective uid, from {@code /proc/self/status} (Java has no call for it). */
    static final class EffectiveUser {
        private EffectiveUser() {}

        static int uid() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("Uid:")) {
                        return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]); // real, EFFECTIVE, ...
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the owner of /proc/self, which the kernel sets to the effective uid
            }
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return 0; // no /proc: expect root's, the stricter choice for a client that must run as root
            }
        }
    }
}
