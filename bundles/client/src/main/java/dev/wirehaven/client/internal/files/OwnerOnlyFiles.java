package dev.wirehaven.client.internal.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The client's files that only their owner may read: trust decisions (known servers), what a running
 * client changed on the host (the undo journal), the state a running {@code connect} shows other
 * shells, and backups and exports that hold keys or host configuration.
 *
 * <p>A file is created with its owner-only permissions rather than restricted after it was written,
 * so that there is no moment at which others can open it. A replaced file is written whole to a
 * temporary file beside it and renamed over it, atomically where the file system can, so that a
 * crash leaves the old content or the new, never half of either.
 */
public final class OwnerOnlyFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private OwnerOnlyFiles() {}

    /** Replaces {@code file} with {@code lines} (UTF-8, each line ended), atomically and owner-only. */
    public static void replace(Path file, List<String> lines) throws IOException {
        replace(file, tmp -> Files.write(tmp, lines, StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} with {@code content}, atomically and owner-only. Its directory is
     * created when missing, owner-only like any missing parent; one that exists is left as it is.
     * Callers that may write the same file from several threads serialise the calls (the temporary
     * file's name is fixed, so that a crash leaves no more than one behind).
     */
    public static void replace(Path file, byte[] content) throws IOException {
        replace(file, tmp -> Files.write(tmp, content));
    }

    private interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private static void replace(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException(file + " is not a file path");
        }
        createDirectory(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, OWNER_ONLY_FILE);
        content.writeTo(tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Creates {@code file}, owner-only, with {@code content}; its directory must exist.
     *
     * @throws java.nio.file.FileAlreadyExistsException if it exists: what is there is not overwritten
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        Files.createFile(file, OWNER_ONLY_FILE);
        Files.write(file, content);
    }

    /**
     * Creates {@code dir} and its missing parents owner-only (another process that makes one at
     * the same moment is fine); an existing directory is left as it is.
     */
    public static void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIRECTORY);
        }
    }
}
