package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";
    private static final String SECRET = "c0rrect-h0rse-battery";

    @TempDir
    Path dir;

    private Path file(String content, String mode) throws IOException {
        Path f = dir.resolve("db.password");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private UserPrincipal me(Path f) throws IOException {
        return Files.getOwner(f);
    }

    @Test
    void anEmptyValueMeansNoPassword() {
        assertNull(PasswordFile.named("", "/opt/wh", WHERE));
        assertNull(PasswordFile.named(null, "/opt/wh", WHERE));
    }

    @Test
    void aRelativePathStartsFromTheInstallationDirectory() {
        assertEquals(
                Path.of("/opt/wh/etc/db.password"),
                PasswordFile.named("etc/db.password", "/opt/wh", WHERE).path());
        assertEquals(
                Path.of("/srv/pw"),
                PasswordFile.named("/srv/pw", "/opt/wh", WHERE).path());
    }

    @Test
    void anOwnerOnlyFileGivesItsFirstLine() throws IOException {
        Path f = file(SECRET + "\r\nsecond line is ignored\n", "rw-------");
        assertEquals(SECRET, PasswordFile.named(f.toString(), null, WHERE).read(me(f)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertEquals(SECRET, PasswordFile.named(f.toString(), null, WHERE).read(me(f)));
    }

    @Test
    void aGroupReadableFileIsRefusedNamingTheKeyAndTheFix() throws IOException {
        Path f = file(SECRET + "\n", "rw-r-----");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PasswordFile.named(f.toString(), null, WHERE).read(me(f)));
        assertTrue(e.getMessage().startsWith(WHERE + ": password.file " + f), e.getMessage());
        assertTrue(e.getMessage().contains("rw-r-----"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + f), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aFileThatOthersCanWriteIsRefused() throws IOException {
        Path f = file(SECRET, "rw-----w-");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PasswordFile.named(f.toString(), null, WHERE).read(me(f)));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aFileOfAnotherUserIsRefused() throws IOException {
        Path f = file(SECRET, "rw-------");
        UserPrincipal other = anotherUserThan(me(f));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PasswordFile.named(f.toString(), null, WHERE).read(other));
        assertTrue(e.getMessage().contains("belongs to " + me(f).getName()), e.getMessage());
        assertTrue(e.getMessage().contains("chown " + other.getName() + " " + f), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aMissingFileIsRefusedWithHowToCreateIt() {
        Path f = dir.resolve("absent");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PasswordFile.named(f.toString(), null, WHERE).read(null));
        assertTrue(e.getMessage().contains(f + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aFileWithoutAPasswordIsRefused() throws IOException {
        Path f = file("\n", "rw-------");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PasswordFile.named(f.toString(), null, WHERE).read(me(f)));
        assertTrue(e.getMessage().contains("no password on its first line"), e.getMessage());
    }

    private UserPrincipal anotherUserThan(UserPrincipal me) throws IOException {
        for (String name : new String[] {"nobody", "root", "daemon"}) {
            try {
                UserPrincipal u =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
                if (!u.equals(me)) {
                    return u;
                }
            } catch (UserPrincipalNotFoundException absent) {
                // try the next usual system user
            }
        }
        Assumptions.abort("no second user on this machine to own the file");
        return null;
    }
}
