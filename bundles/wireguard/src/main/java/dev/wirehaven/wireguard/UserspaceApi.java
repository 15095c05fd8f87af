package dev.wirehaven.wireguard;

import dev.wirehaven.wireguard.internal.uapi.ServerLog;
import dev.wirehaven.wireguard.internal.uapi.UapiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Serves a device's cross-platform userspace API (wireguard.com/xplatform), so that the stock
 * {@code wg} tool configures and shows it: the socket {@code <directory>/<name>.sock}, and beside it
 * the read-only {@code <directory>/<name>.stats} with the drop counters. Both are owner-only.
 *
 * <p>The way for code outside this bundle (the server's interface component, an embedding
 * application) to make a device it created with {@link WireGuard#createDevice} visible to
 * {@code wg show}, as {@code wirehaven-wg} does for its own.
 */
public final class UserspaceApi implements AutoCloseable {

    /** Where {@code wg} looks for userspace interfaces; it has the path compiled in. Writable by root only. */
    public static final Path DEFAULT_DIRECTORY = UapiServer.DEFAULT_DIRECTORY;

    private final UapiServer server;

    private UserspaceApi(UapiServer server) {
        this.server = server;
    }

    /**
     * Starts serving {@code device} under {@code directory}.
     *
     * @param verboseLog routine events (a client connected, a set applied); never key material
     * @param errorLog failures that an operator should see; never key material
     * @throws IOException if another live process serves an interface of that name there, or the
     *         directory cannot be written (the default one needs root)
     */
    public static UserspaceApi serve(
            WireGuardDevice device, Path directory, Consumer<String> verboseLog, Consumer<String> errorLog)
            throws IOException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(verboseLog, "verboseLog");
        Objects.requireNonNull(errorLog, "errorLog");
        ServerLog log = new ServerLog() {
            @Override
            public void verbose(String message) {
                verboseLog.accept(message);
            }

            @Override
            public void error(String message) {
                errorLog.accept(message);
            }
        };
        return new UserspaceApi(UapiServer.start(device, directory, log));
    }

    /**
     * Fails if a live process already serves interface {@code name} under {@code directory}: a check
     * to make before creating anything for it ({@link #serve} checks again when it claims the socket).
     */
    public static void requireNotServed(Path directory, String name) throws IOException {
        UapiServer.requireNotServed(directory, name);
    }

    /** The configuration socket, {@code <directory>/<name>.sock}. */
    public Path socketPath() {
        return server.socketPath();
    }

    /** The stats socket, {@code <directory>/<name>.stats}. */
    public Path statsPath() {
        return server.statsPath();
    }

    /**
     * Whether the configuration socket is still ours at its path; false once someone deleted or
     * replaced it, which wireguard-go takes as the order to shut down.
     */
    public boolean socketPresent() {
        return server.socketPresent();
    }

    /** Stops serving and removes both socket files. Idempotent. Does not close the device. */
    @Override
    public void close() {
        server.close();
    }
}
