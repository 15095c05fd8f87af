package dev.wirehaven.monitor.audit.internal;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The audit file: {@code audit.log} in an owner-only directory, one record per line, appended and
 * flushed record by record (an audit trail that loses its last minutes in a crash is no trail).
 * When the file would pass {@code maxBytes} it is renamed to {@code audit-<UTC time>.log} and a new one
 * begun; then retention removes rotated files beyond {@code maxFiles} and those older than
 * {@code maxAge}, oldest first. Only files of that name pattern are ever removed.
 *
 * <p>Owner-only because the records name users, sources and sessions: other local users have no
 * business reading them.
 */
final class RotatingLog implements AutoCloseable {

    static final String CURRENT = "audit.log";
    private static final String ROTATED_PREFIX = "audit-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long maxBytes;
    private final int maxFiles;
    private final Duration maxAge;
    private final Clock clock;
    private OutputStream out;
    private long size;

    RotatingLog(Path dir, long maxBytes, int maxFiles, Duration maxAge, Clock clock) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.maxAge = maxAge;
        this.clock = clock;
        OwnerOnlyFiles.createDirectories(dir);
        OwnerOnlyFiles.restrictDirectory(dir); // one that existed already, too
        open();
        retain();
    }

    /** Appends one record as a line, rotating first when it would not fit. */
    synchronized void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    private void open() throws IOException {
        Path file = dir.resolve(CURRENT);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        OwnerOnlyFiles.restrictFile(file);
        out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        Path rotated = dir.resolve(ROTATED_PREFIX + STAMP.format(clock.instant()) + ".log");
        for (int i = 1; Files.exists(rotated); i++) {
            rotated = dir.resolve(ROTATED_PREFIX + STAMP.format(clock.instant()) + "-" + i + ".log");
        }
        Files.move(dir.resolve(CURRENT), rotated);
        open();
        retain();
    }

    /** Removes rotated files beyond the count and past the age, oldest first. */
    synchronized void retain() throws IOException {
        List<Path> rotated = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> isRotated(name(f)) && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .forEach(rotated::add);
        }
        // the stamp in the name sorts as time; names are ours, so sorting them is sorting by age
        rotated.sort(Comparator.comparing(RotatingLog::name));
        long oldest = clock.millis() - maxAge.toMillis();
        for (int i = 0; i < rotated.size(); i++) {
            Path f = rotated.get(i);
            boolean tooMany = rotated.size() - i > maxFiles;
            boolean tooOld = Files.getLastModifiedTime(f).toMillis() < oldest;
            if (tooMany || tooOld) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static boolean isRotated(String name) {
        return name.startsWith(ROTATED_PREFIX) && name.endsWith(".log");
    }

    /** A listed entry always has a file name (only a root has none). */
    private static String name(Path entry) {
        Path name = entry.getFileName();
        return name == null ? "" : name.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
