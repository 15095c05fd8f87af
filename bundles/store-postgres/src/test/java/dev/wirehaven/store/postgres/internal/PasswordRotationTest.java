package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordRotationTest {

    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";

    @TempDir
    Path dir;

    private final List<String> given = new ArrayList<>();

    /** Writes the file as an operator does, one second later than the last write (so it shows as changed). */
    private Path write(String content, String mode) throws Exception {
        Path f = dir.resolve("db.password");
        FileTime before = Files.exists(f) ? Files.getLastModifiedTime(f) : FileTime.fromMillis(0);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 1000));
        return f;
    }

    private PasswordRotation rotation(Path f) throws Exception {
        return new PasswordRotation(PasswordFile.named(f.toString(), null, WHERE), Files.getOwner(f), given::add);
    }

    @Test
    void aNewPasswordInTheFileIsUsedForNewConnectionsWithoutARestart() throws Exception {
        PasswordRotation rotation = rotation(write("first-secret\n", "rw-------"));
        assertFalse(rotation.check(), "unchanged: not read again");

        write("second-secret\n", "rw-------");

        assertTrue(rotation.check());
        assertEquals(List.of("second-secret"), given);
        assertFalse(rotation.check(), "taken once");
    }

    @Test
    void aRewrittenFileThatIsNowOpenToOthersIsRefusedAndThePasswordInUseStays() throws Exception {
        PasswordRotation rotation = rotation(write("first-secret\n", "rw-------"));

        try (EveryLog logs = new EveryLog()) {
            write("leaked-secret\n", "rw-r--r--");
            assertFalse(rotation.check());

            assertEquals(List.of(), given);
            assertTrue(logs.text().contains("password.file"), logs.text());
            assertTrue(logs.text().contains("chmod 600"), logs.text());
            assertFalse(logs.text().contains("leaked-secret"), "never its content: " + logs.text());
        }

        write("third-secret\n", "rw-------");
        assertTrue(rotation.check(), "mended: taken at the next look");
        assertEquals(List.of("third-secret"), given);
    }
}
