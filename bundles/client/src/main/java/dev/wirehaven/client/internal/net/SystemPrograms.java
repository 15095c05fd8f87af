package dev.wirehaven.client.internal.net;

import dev.wirehaven.tun.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the client finds the programs it runs ({@code ip}, {@code resolvconf}): in the system's own
 * directories, in this order, and never on {@code PATH}. The client runs as root; a {@code PATH} that
 * starts with a directory someone else can write (a project's {@code bin}, {@code .}, a user's
 * {@code ~/bin} kept by {@code sudo -E}) would let them choose what root runs. The {@code tun} bundle's
 * {@code HostCommand.find} looked on {@code PATH} first when this was written (it now prefers the system directories too, but falls back to PATH), so the client does not use it: it resolves the
 * path here and runs exactly that file ({@link HostCommand#at}).
 */
public final class SystemPrograms {

    /** The directories searched, in order: root's own, never writable by others on a sane system. */
    public static final List<String> DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private SystemPrograms() {}

    /** The first executable {@code name} in {@link #DIRECTORIES}, if any. */
    public static Optional<Path> find(String name) {
        if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("not a program name: " + name);
        }
        for (String dir : DIRECTORIES) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The program {@code name} from {@link #DIRECTORIES}; when it is not installed, the path where it
     * was looked for first, which {@link HostCommand#run} then reports as missing.
     */
    public static HostCommand command(String name) {
        return HostCommand.at(
                find(name).orElse(Path.of(DIRECTORIES.get(0), name)).toString());
    }
}
