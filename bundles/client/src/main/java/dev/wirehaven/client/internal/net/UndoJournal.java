package dev.wirehaven.client.internal.net;

import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.tun.IpCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a running client changed on the host that outlives its interface (policy rules, DNS), one
 * undo per line in {@code <run-dir>/<iface>.undo}, rewritten before each change. When a client dies
 * without cleaning up (kill -9, power loss of a namespace), {@code wirehaven-client disconnect}
 * replays it; routes need no entry, the kernel drops them with the interface.
 *
 * <p>Lines: {@code ip <arguments>} for {@link IpCommand}, or a DNS line of {@link ResolvConf}.
 */
public final class UndoJournal {

    private final Path file;
    private final String iface;

    public UndoJournal(Path runDirectory, String iface) {
        this.file = runDirectory.resolve(iface + ".undo");
        this.iface = iface;
    }

    public Path file() {
        return file;
    }

    /** Replaces the journal's content with {@code lines}; no lines removes the file. */
    public synchronized void write(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        OwnerOnlyFiles.replace(file, lines);
    }

    public synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The recorded lines; empty when there is no journal. */
    public synchronized List<String> read() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Undoes what a dead client left, line by line (a failing line does not stop the others), then
     * removes the journal.
     *
     * @param report told what each line did, as a sentence
     * @return true when there was anything to undo
     */
    public boolean replay(IpCommand ip, Consumer<String> report) throws IOException {
        List<String> lines = read();
        if (lines.isEmpty()) {
            return false;
        }
        List<String> failed = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (line.startsWith("ip ")) {
                    List<String> args = Arrays.asList(line.substring(3).split(" "));
                    if (ip.tryRun(args)) {
                        report.accept("removed: ip " + String.join(" ", args).replace(" del ", " add "));
                    }
                } else {
                    report.accept(ResolvConf.recover(line, iface));
                }
            } catch (IOException | RuntimeException e) {
                failed.add(line + " (" + e.getMessage() + ")");
            }
        }
        delete();
        if (!failed.isEmpty()) {
            throw new IOException("could not undo: " + String.join("; ", failed));
        }
        return true;
    }
}
