package dev.wirehaven.server.internal.wireguard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file that only its owner may read, for keys: written beside its place as an owner-only file
 * (rw-------) and then moved there, so that it appears complete or not at all and is never
 * readable by others, not even for a moment; a missing directory is created owner-only
 * (rwx------).
 *
 * <p>It logs nothing, so that the import of wg-quick files can use it outside the OSGi framework.
 */
public final class OwnerOnlyFile {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFile() {
    }

    /**
     * Writes a new file.
     *
     * @throws java.nio.file.FileAlreadyExistsException if there is a file already (it is left as it is)
     */
    public static void create(Path path, byte[] content) throws IOException {
        Path tmp = writeBeside(path, content);
        try {
            // a link, unlike a rename, never replaces a file that appeared meanwhile
            Files.createLink(path, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the file, replacing the one there, in one step. */
    public static void replace(Path path, byte[] content) throws IOException {
        Path tmp = writeBeside(path, content);
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path writeBeside(Path path, byte[] content) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
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
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, FILE);
            return tmp;
        } catch (AccessDeniedException e) {
            IOException denied = new IOException(path + " cannot be written: permission denied at " + e.getFile(), e);
            deleteQuietly(tmp, denied);
            throw denied;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    private static void deleteQuietly(Path tmp, Exception failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
