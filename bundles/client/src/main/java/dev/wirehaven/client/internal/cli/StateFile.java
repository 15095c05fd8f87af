package dev.wirehaven.client.internal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirehaven.client.internal.control.Json;
import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.client.internal.files.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <run-dir>/<iface>.ns<inode>.json} (keyed by network namespace, see {@link RunDirectory}): what a running {@code connect} tells {@code status},
 * {@code disconnect} and {@code access} in other shells. Owner-only; rewritten whole (temporary file
 * and rename) on each change of state. It holds no secret: the session token stays in the connect
 * process, which {@code access} asks on its owner-only socket {@code <run-dir>/<iface>.ns<inode>.access}
 * ({@link AccessSocket}) rather than calling the server itself.
 */
final class StateFile {

    /**
     * The content.
     *
     * @param processStart when the connect process started, so that a reused pid is not taken for it
     */
    record State(
            long pid,
            Instant processStart,
            String server,
            String user,
            String interfaceName,
            String device,
            String publicKey,
            String state,
            String sessionId,
            List<String> addresses,
            String endpoint,
            Instant expiresAt,
            long latencyMillis,
            Instant updatedAt) {

        State {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }
    }

    private final Path file;
    private final ObjectMapper json = Json.mapper();

    StateFile(RunDirectory run, String iface) {
        this.file = run.file(iface, ".json");
    }

    Path file() {
        return file;
    }

    Optional<State> read() throws IOException {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), State.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); remove it", e);
        }
    }

    synchronized void write(State state) throws IOException {
        OwnerOnlyFiles.replace(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }

    synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The start time of this process, as {@link State#processStart} records it. */
    static Instant thisProcessStart() {
        return ProcessHandle.current().info().startInstant().orElse(null);
    }

    /** Whether the process that wrote {@code state} still runs (the same process, not a later one with its pid). */
    static boolean alive(State state) {
        Optional<ProcessHandle> p = ProcessHandle.of(state.pid());
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        return state.processStart() == null || started.isEmpty() || Objects.equals(started.get(), state.processStart());
    }
}
