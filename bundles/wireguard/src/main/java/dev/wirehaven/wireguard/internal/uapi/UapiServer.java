package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.WireGuardDevice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The cross-platform userspace API of one device: the configuration socket
 * {@code <dir>/<iface>.sock} that {@code wg} talks to, and beside it the read-only stats socket
 * {@code <dir>/<iface>.stats} with the drop counters and the filtered peers' flows and denials (see
 * {@link DropStats}). Both are owner-only.
 */
public final class UapiServer implements Closeable {

    /** Where {@code wg} looks for userspace interfaces (it has the path compiled in). */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");

    private final UnixSocketServer config;
    private final UnixSocketServer stats;

    private UapiServer(UnixSocketServer config, UnixSocketServer stats) {
        this.config = config;
        this.stats = stats;
    }

    /**
     * Starts serving {@code device} under {@code directory}.
     *
     * @throws IOException if another live process serves the interface, or the directory is not
     *         writable (the default directory needs root)
     */
    public static UapiServer start(WireGuardDevice device, Path directory, ServerLog log) throws IOException {
        String name = device.name();
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IOException("invalid interface name for a socket path: " + IpText.quote(name));
        }
        UapiConnection protocol = new UapiConnection(device, log);
        UnixSocketServer config =
                UnixSocketServer.start(socketPath(directory, name), protocol::serve, log, "uapi-" + name);
        try {
            UnixSocketServer stats = UnixSocketServer.start(
                    statsPath(directory, name),
                    channel -> new LineChannel(channel)
                            .write("data_path=" + device.dataPath() + "\n" + DropStats.format(device.snapshot())),
                    log,
                    "uapi-stats-" + name);
            return new UapiServer(config, stats);
        } catch (IOException | RuntimeException e) {
            config.close();
            throw e;
        }
    }

    /** {@code <directory>/<name>.sock}. */
    public static Path socketPath(Path directory, String name) {
        return directory.resolve(name + ".sock");
    }

    /** {@code <directory>/<name>.stats}. */
    public static Path statsPath(Path directory, String name) {
        return directory.resolve(name + ".stats");
    }

    /**
     * Fails if a live process already serves interface {@code name}: a check to make before
     * creating anything for it ({@link #start} checks again when it claims the socket).
     */
    public static void requireNotServed(Path directory, String name) throws IOException {
        Path socket = socketPath(directory, name);
        if (UnixSocketServer.answers(socket)) {
            throw new IOException(
                    "interface " + name + " is already served by a running process (" + socket + "); stop it first");
        }
    }

    /** The configuration socket's path. */
    public Path socketPath() {
        return config.path();
    }

    /** The stats socket's path. */
    public Path statsPath() {
        return stats.path();
    }

    /**
     * Whether the configuration socket is still ours at its path; false once someone deleted or
     * replaced it, which means "shut down" for wireguard-go and for us.
     */
    public boolean socketPresent() {
        return config.stillPresent();
    }

    /** Stops both sockets and removes their files. */
    @Override
    public void close() {
        config.close();
        stats.close();
    }
}
