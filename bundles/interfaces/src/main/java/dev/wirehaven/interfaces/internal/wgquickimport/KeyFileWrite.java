package dev.wirehaven.interfaces.internal.wgquickimport;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** One key going into an owner-only file; the files are checked before any of them is written. */
final class KeyFileWrite {

    private final Path path;
    private final Key key;
    private final String what;
    private boolean needed = true;

    KeyFileWrite(Path path, Key key, String what) {
        this.path = path;
        this.key = key;
        this.what = what;
    }

    void prepare(boolean force, String name) throws ImportException {
        if (!Files.exists(path)) {
            return;
        }
        if (key.equals(existing())) {
            needed = false;
        } else if (!force) {
            throw new ImportException(path + " already holds another " + what + " (a key that the server made"
                    + " for " + name + ", or an earlier import?). Peers that know the old key would lose"
                    + " the server; to use the imported key anyway, import again with --force. Nothing was"
                    + " written.");
        }
    }

    void write() throws IOException {
        if (!needed) {
            return;
        }
        byte[] line = (key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            OwnerOnlyFiles.replace(path, line);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private Key existing() {
        try {
            return Key.fromBase64(
                    Files.readString(path, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            // unreadable or not a key: something else than the imported key, which force may replace
            return null;
        }
    }
}
