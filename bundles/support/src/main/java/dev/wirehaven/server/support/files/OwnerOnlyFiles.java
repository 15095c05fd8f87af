package dev.wirehaven.server.support.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Directories and files that only their owner can read, for secrets: the admin credential, private
 * keys, the TLS keystore and its password. On POSIX file systems the permissions are set atomically
 * at creation (rwx------ and rw-------), so there is no moment at which another user could open them;
 * on the default file system without POSIX bits the owner-only flags of {@link java.io.File} are
 * applied right after creation, which is the best the platform offers; any other file system without
 * POSIX bits has nothing to set and is left as it is.
 *
 * <p>A file is written whole: the bytes go to an owner-only temporary file beside it, are forced to
 * disk, and the temporary file then takes the file's place, so that a crash leaves the old file (or
 * none) or the new one, never a part. A missing directory on the way is created owner-only.
 *
 * <p>It logs nothing, so that the import of wg-quick files can use it outside the OSGi framework.
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {}

    /** Creates {@code dir} and any missing parents owner-only; a directory that exists is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        boolean posix = isPosix(dir);
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(dir);
        }
        restrict(dir, posix, true);
    }

    /** Sets an existing directory to rwx------ (owner-only flags where POSIX bits do not exist). */
    public static void restrictDirectory(Path dir) throws IOException {
        restrict(dir, isPosix(dir), true);
    }

    /**
     * Writes a new file.
     *
     * @throws FileAlreadyExistsException when there is a file already (it is left as it is)
     */
    public static void writeNew(Path target, byte[] content) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path tmp = writeBeside(target, content);
        try {
            // a link, unlike a rename, never replaces a file that appeared meanwhile
            Files.createLink(target, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the file, replacing the one there (if any) in one step. */
    public static void replace(Path target, byte[] content) throws IOException {
        Path tmp = writeBeside(target, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #replace}s the file unless it already holds exactly these bytes; true when it wrote. */
    public static boolean replaceIfDifferent(Path target, byte[] content) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        replace(target, content);
        return true;
    }

    /** True when {@code path} grants nothing to group or others (always true where POSIX bits do not exist). */
    public static boolean isOwnerOnly(Path path) throws IOException {
        if (!isPosix(path)) {
            return true;
        }
        for (PosixFilePermission p : Files.getPosixFilePermissions(path)) {
            if (!p.name().startsWith("OWNER_")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes from an existing file every permission of its group and of others, and leaves the owner's as
     * they are (rw-r--r-- becomes rw-------, r-------- stays). For a secret that a copy, an unpacked
     * archive or an editor's umask left readable: the caller says so, naming the file, since whoever
     * could read it may already know the secret. Links are followed: the file that holds the secret is
     * the one to restrict.
     *
     * @return true when a permission was taken; false when there was none to take, or the file system
     *     has no POSIX permissions (then {@link #isOwnerOnly} has nothing to report either)
     * @throws IOException when the permissions cannot be read or set (the file is another user's, or on
     *     a read-only file system)
     */
    public static boolean restrictFile(Path file) throws IOException {
        if (!isPosix(file)) {
            return false;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> owners = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : now) {
            if (p.name().startsWith("OWNER_")) {
                owners.add(p);
            }
        }
        if (owners.equals(now)) {
            return false;
        }
        Files.setPosixFilePermissions(file, owners);
        return true;
    }

    /** Writes {@code content} to an owner-only {@code .<name>.tmp} beside {@code target}, forced to disk. */
    private static Path writeBeside(Path target, byte[] content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            if (parent != null) {
                createDirectories(parent);
            }
            // a temporary file that a crash left behind holds nothing that is still wanted
            Files.deleteIfExists(tmp);
            boolean posix = isPosix(tmp);
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                    : new FileAttribute<?>[0];
            try (FileChannel ch = FileChannel.open(
                    tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            restrict(tmp, posix, false);
            return tmp;
        } catch (AccessDeniedException e) {
            IOException denied = new IOException(target + " cannot be written: permission denied at " + e.getFile(), e);
            deleteQuietly(tmp, denied);
            throw denied;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    private static void restrict(Path path, boolean posix, boolean directory) throws IOException {
        if (posix) {
            // the umask may have removed bits from the attribute at creation, never added any: set exactly these
            Files.setPosixFilePermissions(path, directory ? DIRECTORY : FILE);
        } else if (path.getFileSystem() == FileSystems.getDefault()) {
            // java.io.File reaches only the default file system; elsewhere there is nothing to set
            restrictWithFileFlags(path.toFile(), directory);
        }
    }

    /**
     * Takes each permission from everyone, then gives it back to the owner. A permission that the file
     * system does not implement cannot be taken (java.io.File answers false) and is left as it is; one
     * that was taken must be given back to the owner, else the owner could not use the file either.
     */
    static void restrictWithFileFlags(java.io.File f, boolean directory) throws IOException {
        boolean readTaken = f.setReadable(false, false);
        boolean writeTaken = f.setWritable(false, false);
        boolean executeTaken = f.setExecutable(false, false);
        if ((readTaken && !f.setReadable(true, true))
                || (writeTaken && !f.setWritable(true, true))
                || (directory && executeTaken && !f.setExecutable(true, true))) {
            throw new IOException("cannot make " + f + " owner-only: a permission taken from everyone could not be"
                    + " given back to its owner");
        }
    }

    /** Whether the nearest existing directory on the way to {@code path} has POSIX permissions. */
    private static boolean isPosix(Path path) {
        Path probe = path;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null) {
            probe = path.toAbsolutePath().getRoot(); // an absolute path has a root, at least on the default file system
            if (probe == null) {
                return false;
            }
        }
        return Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }

    private static void deleteQuietly(Path tmp, Exception failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
