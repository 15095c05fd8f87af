package dev.wirehaven.server.internal.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates directories and files that only their owner can read, for secrets such as the admin
 * credential and private keys. On POSIX file systems the permissions are set atomically at
 * creation (rwx------ and rw-------), so there is no moment at which another user could open the
 * file; elsewhere the owner-only flags of {@link java.io.File} are applied right after creation,
 * which is the best the platform offers.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} and any missing parents owner-only; does nothing to a directory that exists. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            // the umask may have removed bits from the attribute, never added: set exactly what we want
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
            restrictToOwner(dir, true);
        }
    }

    /** Sets an existing directory to rwx------ (owner-only flags where POSIX bits do not exist). */
    static void restrictDirectory(Path dir) throws IOException {
        if (isPosix(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            restrictToOwner(dir, true);
        }
    }

    /**
     * Writes {@code content} to {@code target}, which must not exist yet. The bytes go to an
     * owner-only temporary file beside it, are forced to disk, and the file is then renamed into
     * place, so that a crash leaves either no file or a complete one.
     *
     * @throws FileAlreadyExistsException when {@code target} exists
     */
    static void writeNew(Path target, byte[] content) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean posix = isPosix(target.getParent());
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(tmp, options, attributes)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (posix) {
            Files.setPosixFilePermissions(tmp, FILE);
        } else {
            restrictToOwner(tmp, false);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when {@code path} grants nothing to group or others (always true where POSIX bits do not exist). */
    static boolean isOwnerOnly(Path path) throws IOException {
        if (!isPosix(path)) {
            return true;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER_")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPosix(Path path) {
        Path probe = path;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null) {
            probe = path.toAbsolutePath().getRoot();
        }
        return Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }

    private static void restrictToOwner(Path path, boolean directory) {
        java.io.File f = path.toFile();
        // clear the bits for everyone, then grant them to the owner only
        f.setReadable(false, false);
        f.setWritable(false, false);
        f.setExecutable(false, false);
        f.setReadable(true, true);
        f.setWritable(true, true);
        if (directory) {
            f.setExecutable(true, true);
        }
    }
}
