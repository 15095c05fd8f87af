package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that holds an interface's private key, in the format of {@code wg genkey} (one base64
 * line), so that an operator can bring an existing key or take ours to another implementation.
 *
 * <p>A missing file is created with a new key: in a directory created owner-only (rwx------), as an
 * owner-only file (rw-------) that appears complete or not at all (written beside it, then renamed).
 * A file or directory that others can read is used, with a warning that says how to fix it, as
 * wg-quick does. The key itself never reaches a log or an exception message.
 *
 * <p>A static peer's preshared key file ({@code wg genpsk}, as {@code wg set ... preshared-key}
 * reads it) is read the same way: {@link #presharedKey(Path)}.
 */
final class PrivateKeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateKeyFile.class);

    private final Path path;
    /** What the file holds and the command that makes one, for the messages. */
    private final String kind;

    private final String generator;

    PrivateKeyFile(Path path) {
        this(path, "private key", "wg genkey");
    }

    private PrivateKeyFile(Path path, String kind, String generator) {
        this.path = path;
        this.kind = kind;
        this.generator = generator;
    }

    /** The file of a preshared key; only {@link #load()} applies to it, a missing one is not made up. */
    static PrivateKeyFile presharedKey(Path path) {
        return new PrivateKeyFile(path, "preshared key", "wg genpsk");
    }

    Path path() {
        return path;
    }

    /**
     * Reads the key, first creating the file with a new key if there is none.
     *
     * @throws IOException with a message that names the file and never its content
     */
    Key loadOrCreate() throws IOException {
        if (!Files.exists(path)) {
            try {
                Key created = create();
                LOG.info("Created a new {} in {}", kind, path);
                return created;
            } catch (FileAlreadyExistsException raced) {
                // another activation of the same configuration won: read what it wrote
            }
        }
        return load();
    }

    /** Reads the key of an existing file. */
    Key load() throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a directory, not a " + kind + " file");
        }
        warnIfOthersCanRead(path, kind + " file", "chmod 600 ");
        Path parent = path.getParent();
        if (parent != null) {
            warnIfOthersCanRead(parent, "directory of the " + kind + " file", "chmod 700 ");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (AccessDeniedException e) {
            throw new IOException(path + " cannot be read by the server's user (permission denied)", e);
        } catch (NoSuchFileException e) {
            throw new IOException(path + " does not exist", e);
        }
        String text = new String(content, StandardCharsets.US_ASCII);
        Arrays.fill(content, (byte) 0);
        // the String stays in the heap until collected: Java cannot clear it, so it is kept short-lived
        try {
            Key key = Key.fromBase64(text);
            if (key.isZero()) {
                throw new IOException(path + " holds the all-zero key, which WireGuard treats as no key");
            }
            return key;
        } catch (IllegalArgumentException e) {
            // the exception may quote the text: its message must not go on
            throw new IOException(path + " does not hold a base64 WireGuard " + kind + " (one line, as '" + generator
                    + "' writes it)");
        }
    }

    private Key create() throws IOException {
        Key key = Keys.generatePrivate();
        byte[] line = (key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            OwnerOnlyFiles.writeNew(path, line);
            return key;
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private static void warnIfOthersCanRead(Path p, String what, String fix) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(p);
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions: there are no mode bits to check
            return;
        }
        if (perms.contains(PosixFilePermission.GROUP_READ)
                || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            LOG.warn(
                    "The {} {} can be read or changed by other users; it guards a secret key. Run: {}{}",
                    what,
                    p,
                    fix,
                    p);
        }
    }
}
