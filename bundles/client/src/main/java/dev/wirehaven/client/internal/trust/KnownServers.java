package dev.wirehaven.client.internal.trust;

import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The servers whose keys this client has accepted, like SSH's known_hosts: one line per server,
 * {@code host:port SHA256:<base64>} (the fingerprint of its public key, see {@link Fingerprint}),
 * {@code #} comments and blank lines kept as written. A line that an older client wrote holds the
 * certificate's hex fingerprint instead ({@code host:port AB:CD:...}); it is still read, and replaced
 * by the key's fingerprint once the server presented that certificate again.
 *
 * <p>A line that cannot be read is an error, never skipped: a damaged trust file must not turn into
 * "unknown server, trust on first use". The file is rewritten whole through a temporary file and
 * an atomic rename, owner-only, so a crash leaves either the old or the new file.
 */
public final class KnownServers {

    private final Path file;

    public KnownServers(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The recorded fingerprint of {@code server}, if any. */
    public synchronized Optional<Fingerprint> lookup(ServerAddress server) throws IOException {
        for (Entry e : read()) {
            if (server.equals(e.server)) {
                return Optional.of(e.fingerprint);
            }
        }
        return Optional.empty();
    }

    /** Records {@code fingerprint} for {@code server}, replacing the one recorded before. */
    public synchronized void record(ServerAddress server, Fingerprint fingerprint) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        List<String> existing = lines();
        for (int i = 0; i < existing.size(); i++) {
            Entry e = parse(existing.get(i), i + 1);
            if (e != null && e.server.equals(server)) {
                if (!replaced) {
                    lines.add(server + " " + fingerprint);
                    replaced = true;
                }
                continue;
            }
            lines.add(existing.get(i));
        }
        if (!replaced) {
            lines.add(server + " " + fingerprint);
        }
        OwnerOnlyFiles.replace(file, lines);
    }

    private List<Entry> read() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            Entry e = parse(lines.get(i), i + 1);
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    private List<String> lines() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private Entry parse(String line, int number) throws IOException {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return null;
        }
        String[] fields = s.split("\\s+");
        try {
            if (fields.length != 2) {
                throw new IllegalArgumentException("expected 'host:port SHA256:<base64>'");
            }
            return new Entry(ServerAddress.parse(fields[0]), Fingerprint.parse(fields[1]));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ":" + number + ": cannot read this line (" + e.getMessage()
                    + "); fix it or remove it, then connect again");
        }
    }

    private record Entry(ServerAddress server, Fingerprint fingerprint) {}
}
