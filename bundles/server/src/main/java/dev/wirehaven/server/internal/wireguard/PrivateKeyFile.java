package dev.wirehaven.server.internal.wireguard;

import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
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
 */
final class PrivateKeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateKeyFile.class);

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    PrivateKeyFile(Path path) {
        this.path = path;
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
                LOG.info("Created a new private key in {}", path);
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
            throw new IOException(path + " is a directory, not a key file");
        }
        warnIfOthersCanRead(path, "key file", "chmod 600 ");
        Path parent = path.getParent();
        if (parent != null) {
            warnIfOthersCanRead(parent, "directory of the key file", "chmod 700 ");
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
            throw new IOException(path + " does not hold a base64 WireGuard private key (one line, as 'wg genkey'"
                    + " writes it)");
        }
    }

    private Key create() throws IOException {
        Path parent = path.getParent();
        Key key = Keys.generatePrivate();
        byte[] line = (key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII);
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
        try {
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIRECTORY));
                // the umask may have removed bits from the attribute, never added any: set exactly these
                Files.setPosixFilePermissions(parent, DIRECTORY);
            }
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(FILE))) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, FILE);
            // a link, unlike a rename, never replaces a key that appeared meanwhile
            Files.createLink(path, tmp);
            return key;
        } catch (AccessDeniedException e) {
            throw new IOException(path + " cannot be created: permission denied at " + e.getFile(), e);
        } finally {
            Arrays.fill(line, (byte) 0);
            Files.deleteIfExists(tmp);
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
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            LOG.warn("The {} {} can be read or changed by other users; it guards a private key. Run: {}{}",
                    what, p, fix, p);
        }
    }
}
