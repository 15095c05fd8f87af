package dev.wirehaven.operations.internal.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Makes FileInstall look at a file of deploy/ again, as a new version.
 *
 * <p>FileInstall 3.7.4 keeps, per file, the listener that took it. When a changed file is no longer
 * what that listener accepts (a broken jar that became a bundle, a bundle that became a broken jar),
 * it uninstalls the old artifact but does not offer the new file to the other listeners: its
 * scanner has already recorded the file's new state, so it waits for the next change, and the file
 * sits there unheeded. A new modification time is such a change: FileInstall then offers the file
 * afresh, its own bundle installer or {@link NotABundleReporter} takes it, within two scans.
 */
final class FileInstallRescan {

    /** Two seconds at least: FAT keeps modification times in two-second steps, others in seconds. */
    static final long STEP_MILLIS = 2_000;

    private FileInstallRescan() {}

    /** Moves the file's modification time on; the file's content stays as it is. */
    static void request(Path file) throws IOException {
        long modified = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Math.max(System.currentTimeMillis(), modified + STEP_MILLIS)));
    }
}
