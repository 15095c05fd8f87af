package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.ClientException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliPrompterTest {

    @TempDir
    Path dir;

    private static final URI SERVER = URI.create("https://vpn.example.com:8443");
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliPrompter prompter(Path file, String stdin) {
        return new CliPrompter(file, new BufferedReader(new StringReader(stdin)), null, new PrintStream(err, true));
    }

    @Test
    void aPasswordFileGivesItsFirstLineEachTimeSoARotatedPasswordIsPickedUp() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "first\r\nignored\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        CliPrompter p = prompter(file, "");
        assertArrayEquals("first".toCharArray(), p.password(SERVER, "alice"));
        Files.writeString(file, "rotated\n");
        assertArrayEquals("rotated".toCharArray(), p.password(SERVER, "alice"));
        assertEquals("", err.toString());
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedAbout() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        prompter(file, "").password(SERVER, "alice");
        assertTrue(err.toString().contains("can be read by other users; chmod 600 it"), err.toString());
    }

    @Test
    void standardInputGivesThePasswordThenTheCodeAndThePasswordIsRememberedForReauthentication() throws Exception {
        CliPrompter p = prompter(null, "s3cret\n123456\n");
        assertArrayEquals("s3cret".toCharArray(), p.password(SERVER, "alice"));
        assertEquals("123456", p.oneTimeCode(SERVER, "alice", "totp"));
        assertArrayEquals("s3cret".toCharArray(), p.password(SERVER, "alice"));
    }

    @Test
    void emptyInputIsNoCredentialsWithAHint() {
        ClientException e =
                assertThrows(ClientException.class, () -> prompter(null, "").password(SERVER, "alice"));
        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertTrue(e.getMessage().contains("--password-file"), e.getMessage());
        ClientException code =
                assertThrows(ClientException.class, () -> prompter(null, "").oneTimeCode(SERVER, "alice", "totp"));
        assertTrue(code.getMessage().contains("one-time code (totp)"), code.getMessage());
    }

    @Test
    void anEmptyPasswordFileIsRefused() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "\n");
        ClientException e =
                assertThrows(ClientException.class, () -> prompter(file, "").password(SERVER, "alice"));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }
}
