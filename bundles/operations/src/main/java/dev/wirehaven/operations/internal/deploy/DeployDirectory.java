package dev.wirehaven.operations.internal.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hot deployment folder: {@code deploy/} under the installation, the framework property
 * {@value #HOME_PROPERTY} that {@code bin/wirehaven} sets (the working directory when it is not
 * set). The distribution's {@code etc/org.apache.felix.fileinstall-deploy.cfg} points FileInstall's
 * second watcher at the same directory.
 *
 * <p>FileInstall offers every artifact listener the files of every directory it watches, and an
 * operator may add watchers of their own; only what sits directly in this directory is ours to judge.
 */
final class DeployDirectory {

    static final String HOME_PROPERTY = "wirehaven.home";
    static final String NAME = "deploy";

    private final Path path;

    private DeployDirectory(Path path) {
        this.path = path;
    }

    /** {@code deploy/} under {@code home}, or under the working directory when {@code home} is null or blank. */
    static DeployDirectory under(String home) {
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home.trim());
        return new DeployDirectory(base.resolve(NAME).toAbsolutePath().normalize());
    }

    Path path() {
        return path;
    }

    /** True when {@code file} is directly inside this directory, through whatever symbolic links either path takes. */
    boolean holds(File file) {
        Path parent = file.toPath().toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(path)) {
            return false;
        }
        try {
            // FileInstall hands over files of the canonical directory; the property may name it through a link
            return Files.isSameFile(parent, path);
        } catch (IOException e) {
            return false;
        }
    }
}
