package dev.wirehaven.auth.totp.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TotpKeyFileTest {

    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path data;

    private TotpKeyFile keyFile() {
        return TotpKeyFile.in(data);
    }

    @Test
    void isMadeOwnerOnlyAtFirstUseAndReadBackAsTheSameKey() throws Exception {
        TotpKeyFile file = keyFile();
        assertEquals(data.resolve("totp.key"), file.path());
        assertFalse(file.exists());

        TotpKeys made = file.loadOrCreate(new SecureRandom());

        assertTrue(file.exists());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        assertEquals(ME, Files.getOwner(file.path()).getName());
        TotpKeys read = file.load();
        assertEquals(made.backupCodeHash("alice", "abcdefghjk"), read.backupCodeHash("alice", "abcdefghjk"));
        TotpKeys again = file.loadOrCreate(new SecureRandom());
        assertEquals(made.backupCodeHash("alice", "abcdefghjk"), again.backupCodeHash("alice", "abcdefghjk"));
    }

    @Test
    void holdsACommentAndOneLineOfThirtyTwoBytes() throws Exception {
        keyFile().loadOrCreate(new SecureRandom());
        String[] lines =
                Files.readString(keyFile().path(), StandardCharsets.US_ASCII).split("\n");
        assertTrue(lines[0].startsWith("# Wirehaven TOTP key"), lines[0]);
        assertEquals(32, Base64.getDecoder().decode(lines[lines.length - 1]).length);
    }

    @Test
    void twoInstallationsGetDifferentKeys(@TempDir Path other) throws Exception {
        TotpKeys one = keyFile().loadOrCreate(new SecureRandom());
        TotpKeys two = TotpKeyFile.in(other).loadOrCreate(new SecureRandom());
        assertNotEquals(one.backupCodeHash("alice", "abcdefghjk"), two.backupCodeHash("alice", "abcdefghjk"));
    }

    @Test
    void aKeyFileThatOthersCanReadIsRefusedAndLeftAsItIs() throws Exception {
        keyFile().loadOrCreate(new SecureRandom());
        Files.setPosixFilePermissions(keyFile().path(), PosixFilePermissions.fromString("rw-r--r--"));

        KeyFileException e =
                assertThrows(KeyFileException.class, () -> keyFile().load());
        assertThrows(KeyFileException.class, () -> keyFile().loadOrCreate(new SecureRandom()));

        assertTrue(e.getMessage().contains(keyFile().path().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertEquals(
                "rw-r--r--",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(keyFile().path())),
                "never repaired silently");
    }

    @Test
    void aGroupWritableKeyFileIsRefusedToo() throws Exception {
        keyFile().loadOrCreate(new SecureRandom());
        Files.setPosixFilePermissions(keyFile().path(), PosixFilePermissions.fromString("rw--w----"));
        assertThrows(KeyFileException.class, () -> keyFile().load());
    }

    @Test
    void aKeyFileOfAnotherOwnerIsRefused() throws Exception {
        keyFile().loadOrCreate(new SecureRandom());
        TotpKeyFile asSomeoneElse = new TotpKeyFile(keyFile().path(), "wirehaven-" + ME);

        KeyFileException e = assertThrows(KeyFileException.class, asSomeoneElse::load);

        assertTrue(e.getMessage().contains("belongs to " + ME + ", not to wirehaven-" + ME), e.getMessage());
    }

    @Test
    void aLinkInPlaceOfTheKeyFileIsRefused() throws Exception {
        Path real = data.resolve("elsewhere.key");
        TotpKeyFile elsewhere = new TotpKeyFile(real, ME);
        elsewhere.loadOrCreate(new SecureRandom());
        Files.createSymbolicLink(keyFile().path(), real);

        KeyFileException e =
                assertThrows(KeyFileException.class, () -> keyFile().load());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAKeyIsRefused() throws Exception {
        for (String content : new String[] {"", "# only a comment\n", "not base64!\n", "AAAA\n", "AAAA\nAAAA\n"}) {
            Files.deleteIfExists(keyFile().path());
            Files.writeString(keyFile().path(), content);
            Files.setPosixFilePermissions(keyFile().path(), PosixFilePermissions.fromString("rw-------"));
            KeyFileException e =
                    assertThrows(KeyFileException.class, () -> keyFile().load(), content);
            assertTrue(e.getMessage().contains("is not a key"), e.getMessage());
        }
    }

    @Test
    void aMissingKeyFileIsSaidSo() {
        KeyFileException e =
                assertThrows(KeyFileException.class, () -> keyFile().load());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
