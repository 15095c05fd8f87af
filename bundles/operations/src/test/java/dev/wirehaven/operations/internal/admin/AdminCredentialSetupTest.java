package dev.wirehaven.operations.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.PasswordCredential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialSetupTest {

    private static final int FAST = 1_000;
    private static final Pattern NOTICE = Pattern.compile("Wirehaven admin user: (\\S+)  password: (\\S+)\n");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private AdminCredentialSetup setup(Path data) {
        return new AdminCredentialSetup(
                DataDirectory.at(data.toString()),
                new SecureRandom(),
                FAST,
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theFirstStartCreatesAnOwnerOnlyDirectoryAndFile() throws IOException {
        Path data = tmp.resolve("var/wirehaven/data");
        setup(data).loadOrCreate();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        Path file = data.resolve("admin.credential");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left beside it");
        }
    }

    @Test
    void theFirstStartRestrictsADataDirectoryThatCameOpenFromTheDistribution() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("unpacked/data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        setup(data).loadOrCreate();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void aLaterStartLeavesTheOperatorsDirectoryPermissionsAlone() throws IOException {
        Path data = tmp.resolve("data");
        setup(data).loadOrCreate();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));

        setup(data).loadOrCreate();

        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void theFirstStartPrintsThePasswordOnceInAFramedBlockAndStoresOnlyItsHash() throws IOException {
        Path data = tmp.resolve("data");
        AdminCredential created = setup(data).loadOrCreate();

        Matcher m = NOTICE.matcher(printed());
        assertTrue(m.find(), printed());
        assertEquals("admin", m.group(1));
        String password = m.group(2);
        assertEquals(PasswordGenerator.LENGTH, password.length());
        assertFalse(m.find(), "the password is printed once");
        assertTrue(printed().contains(FirstStartNotice.RULE));
        assertTrue(printed().contains(data.resolve("admin.credential").toString()));
        assertTrue(printed().contains("delete that file"));

        String stored = Files.readString(data.resolve("admin.credential"));
        assertFalse(stored.contains(password), "the file must not hold the password");
        assertTrue(stored.contains("hash=$pbkdf2-sha256$i=1000$"));
        assertTrue(created.passwordHash().matches(password.toCharArray()));
    }

    @Test
    void aLaterStartReadsTheSameCredentialAndPrintsNothing() throws IOException {
        Path data = tmp.resolve("data");
        AdminCredential first = setup(data).loadOrCreate();
        console.reset();

        AdminCredential again = setup(data).loadOrCreate();

        assertEquals(first, again);
        assertEquals("", printed());
    }

    @Test
    void deletingTheFileResetsThePassword() throws IOException {
        Path data = tmp.resolve("data");
        setup(data).loadOrCreate();
        Matcher first = NOTICE.matcher(printed());
        assertTrue(first.find());
        String oldPassword = first.group(2);
        console.reset();

        Files.delete(data.resolve("admin.credential"));
        AdminCredential reset = setup(data).loadOrCreate();

        Matcher second = NOTICE.matcher(printed());
        assertTrue(second.find());
        assertFalse(reset.passwordHash().matches(oldPassword.toCharArray()));
        assertTrue(reset.passwordHash().matches(second.group(2).toCharArray()));
    }

    @Test
    void theCreatedCredentialOpensTheAuthenticator() throws IOException {
        AdminCredential created = setup(tmp.resolve("data")).loadOrCreate();
        Matcher m = NOTICE.matcher(printed());
        assertTrue(m.find());
        LocalAdminAuthenticator auth = new LocalAdminAuthenticator(created, new SecureRandom());
        assertTrue(auth.verify(new PasswordCredential("admin", m.group(2).toCharArray())));
        assertFalse(auth.verify(new PasswordCredential("admin", "admin".toCharArray())));
    }

    @Test
    void aDamagedFileStopsTheStartWithAMessageThatSaysToDeleteIt() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("admin.credential"), "user=admin\nhash=not-a-hash\n");

        IOException e = assertThrows(IOException.class, () -> setup(data).loadOrCreate());
        assertTrue(e.getMessage().contains("delete the file"), e.getMessage());
        assertEquals("", printed());
    }

    @Test
    void aDataPathThatIsAFileIsRefusedWithTheProperty() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("data"), "x");
        IOException e = assertThrows(IOException.class, () -> setup(notADir).loadOrCreate());
        assertTrue(e.getMessage().contains("wirehaven.data"), e.getMessage());
    }

    @Test
    void theDefaultDataDirectoryIsDataUnderTheWorkingDirectory() {
        assertEquals(Path.of("data").toAbsolutePath(), DataDirectory.at(null).path());
        assertEquals(Path.of("data").toAbsolutePath(), DataDirectory.at("  ").path());
        assertEquals(
                tmp.resolve("x"), DataDirectory.at(tmp.resolve("x").toString()).path());
    }
}
