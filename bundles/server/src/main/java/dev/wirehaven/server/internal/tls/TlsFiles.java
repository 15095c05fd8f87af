package dev.wirehaven.server.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * The files of {@code <data>/tls}: created owner-only (rwx------ and rw-------, set atomically at
 * creation on POSIX file systems, so that no other user can ever open them) and replaced whole: the
 * bytes go to a temporary file beside the target, are forced to disk and renamed over it, so that a
 * crash leaves the old file or the new one, never a part.
 */
final class TlsFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private TlsFiles() {
    }

    /** Creates {@code dir} and missing parents owner-only; an existing directory is left as it is. */
    static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            // the umask may have removed bits from the attribute, never added: set exactly these
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes {@code content} to {@code target} owner-only, replacing the file if there is one. */
    static void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = isPosix(target.getParent());
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes)) {
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
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes {@code content} unless the file already holds exactly these bytes; true when it wrote. */
    static boolean writeIfDifferent(Path target, byte[] content) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        write(target, content);
        return true;
    }

    /** True when {@code path} grants nothing to group or others (always true without POSIX bits). */
    static boolean isOwnerOnly(Path path) throws IOException {
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
}
