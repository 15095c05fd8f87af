package dev.wirehaven.monitor.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {

    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-04T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path data;

    private final HandClock clock = new HandClock();

    private List<String> rotated(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("audit-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void recordsAreLinesInAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws IOException {
        Path dir = data.resolve("audit");
        try (RotatingLog log = new RotatingLog(dir, 1 << 20, 3, Duration.ofDays(1), clock)) {
            log.append("{\"a\":1}");
            log.append("{\"b\":2}");
        }
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), Files.readAllLines(dir.resolve(RotatingLog.CURRENT)));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.log"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aFullFileIsRotatedAndOnlyTheNewestRotatedFilesAreKept() throws IOException {
        Path dir = data.resolve("audit");
        try (RotatingLog log = new RotatingLog(dir, 100, 2, Duration.ofDays(365), clock)) {
            for (int i = 0; i < 10; i++) {
                clock.now = clock.now.plusSeconds(1);
                log.append("x".repeat(60) + i); // 62 bytes a line: every line after the first rotates
            }
        }
        List<String> kept = rotated(dir);
        assertEquals(2, kept.size(), kept.toString());
        assertEquals(List.of("x".repeat(60) + 9), Files.readAllLines(dir.resolve("audit.log")));
        // the newest two rotations hold lines 7 and 8
        assertEquals(List.of("x".repeat(60) + 8), Files.readAllLines(dir.resolve(kept.get(1))));
    }

    @Test
    void rotatedFilesPastTheRetentionAgeAreRemovedAndNothingElse(@TempDir Path other) throws IOException {
        Path dir = data.resolve("audit");
        Files.createDirectories(dir);
        Path old = Files.writeString(dir.resolve("audit-20250101T000000.000Z.log"), "old\n");
        Files.setLastModifiedTime(old, FileTime.from(clock.now.minus(Duration.ofDays(100))));
        Path operators = Files.writeString(dir.resolve("notes.txt"), "mine\n");
        Files.setLastModifiedTime(operators, FileTime.from(clock.now.minus(Duration.ofDays(100))));
        try (RotatingLog log = new RotatingLog(dir, 1 << 20, 10, Duration.ofDays(90), clock)) {
            log.append("{}");
        }
        assertTrue(Files.notExists(old));
        assertTrue(Files.exists(operators));
    }
}
