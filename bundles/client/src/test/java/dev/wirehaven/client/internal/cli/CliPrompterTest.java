package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ClientException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliPrompterTest {

    @TempDir
    Path dir;

    private static final URI SERVER = URI.create("https://vpn.example.com:8443");
    private static final MethodPrompt LDAP = new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password");
    private static final MethodPrompt SMS = new MethodPrompt("sms", CredentialKind.ONE_TIME_CODE, "Code by SMS");
    private static final MethodPrompt TOKEN = new MethodPrompt("pat", CredentialKind.BEARER_TOKEN, "Access token");
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliPrompter prompter(Path file, String stdin) {
        return prompter(file, stdin, null);
    }

    private CliPrompter prompter(Path file, String stdin, Terminal terminal) {
        return new CliPrompter(
                file,
                new BufferedReader(new StringReader(stdin)),
                terminal,
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path passwordFile(String content, String mode) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void aPasswordFileGivesItsFirstLineEachTimeSoARotatedPasswordIsPickedUp() throws Exception {
        Path file = passwordFile("first\r\nignored\n", "rw-------");
        CliPrompter p = prompter(file, "");
        assertArrayEquals("first".toCharArray(), p.secret(SERVER, "alice", LDAP));
        Files.writeString(file, "rotated\n");
        assertArrayEquals("rotated".toCharArray(), p.password(SERVER, "alice"));
        assertEquals("", err.toString());
    }

    @Test
    void aPasswordFileOthersCanReadIsRefused() throws Exception {
        Path file = passwordFile("pw\n", "rw-r--r--");
        ClientException e =
                assertThrows(ClientException.class, () -> prompter(file, "").secret(SERVER, "alice", LDAP));
        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertEquals(
                "the password file " + file + " can be read by other users (rw-r--r--); make it yours alone with"
                        + " 'chmod 600 " + file + "' and run again",
                e.getMessage());
        Path group = passwordFile("pw\n", "rw-r-----");
        assertThrows(ClientException.class, () -> PasswordFile.check(group));
    }

    @Test
    void standardInputGivesOneLinePerAnswerInTheOrderAskedAndThePasswordIsRemembered() throws Exception {
        CliPrompter p = prompter(null, "s3cret\n123456\n  tok-en  \n");
        assertArrayEquals("s3cret".toCharArray(), p.secret(SERVER, "alice", LDAP));
        assertArrayEquals("123456".toCharArray(), p.secret(SERVER, "alice", SMS));
        assertEquals("tok-en", p.token(SERVER, "alice", "pat"));
        assertArrayEquals("s3cret".toCharArray(), p.secret(SERVER, "alice", LDAP), "for re-authentication");
        assertEquals("", err.toString(), "no questions printed for a script");
    }

    @Test
    void emptyInputIsNoCredentialsWithAHint() {
        ClientException e =
                assertThrows(ClientException.class, () -> prompter(null, "").password(SERVER, "alice"));
        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertTrue(e.getMessage().contains("--password-file"), e.getMessage());
        ClientException code =
                assertThrows(ClientException.class, () -> prompter(null, "").oneTimeCode(SERVER, "alice", "totp"));
        assertTrue(code.getMessage().contains("a one-time code (totp)"), code.getMessage());
        assertTrue(code.getMessage().contains("one line per answer, in the order asked"), code.getMessage());
    }

    @Test
    void anEmptyPasswordFileIsRefused() throws Exception {
        Path file = passwordFile("\n", "rw-------");
        ClientException e =
                assertThrows(ClientException.class, () -> prompter(file, "").password(SERVER, "alice"));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void onATerminalEveryKindIsAskedWithoutEchoWithTheServersText() throws Exception {
        FakeTerminal t = new FakeTerminal("pw", "424242", "tok");
        CliPrompter p = prompter(null, "", t);
        assertArrayEquals("pw".toCharArray(), p.secret(SERVER, "alice", LDAP));
        assertArrayEquals("424242".toCharArray(), p.secret(SERVER, "alice", SMS));
        assertArrayEquals("tok".toCharArray(), p.secret(SERVER, "alice", TOKEN));
        assertEquals(
                List.of(
                        "Directory password for alice at vpn.example.com:8443: ",
                        "Code by SMS for alice at vpn.example.com:8443: ",
                        "Access token for alice at vpn.example.com:8443: "),
                t.secretPrompts());
    }

    @Test
    void anApprovalShowsTheAddressTheCodeAndTheCompleteAddress() {
        FakeTerminal t = new FakeTerminal();
        prompter(null, "", t)
                .showApproval(
                        SERVER,
                        "alice",
                        "oidc",
                        new ApprovalPrompt(
                                URI.create("https://idp.example.com/device"),
                                URI.create("https://idp.example.com/device?user_code=WDJB-MJHT"),
                                "WDJB-MJHT",
                                5,
                                Instant.parse("2030-01-01T00:10:00Z")));
        assertEquals(
                List.of(
                        "To approve the login of alice at vpn.example.com:8443 (oidc), open"
                                + " https://idp.example.com/device and enter the code WDJB-MJHT",
                        "  or open https://idp.example.com/device?user_code=WDJB-MJHT (the code filled in)",
                        "Waiting for the approval (it lapses at 2030-01-01T00:10:00Z)"),
                t.shown());
    }

    @Test
    void controlAndBidiCharactersFromTheServerAreNeverPrinted() throws Exception {
        // C1 CSI and the bidi overrides pass the api's own checks (which refuse only C0 and DEL)
        String hostile = "Pass\u009b2Jword \u202egnp.exe\u2066 \u200b";
        FakeTerminal t = new FakeTerminal("pw");
        CliPrompter p = prompter(null, "", t);
        p.secret(SERVER, "alice", new MethodPrompt("ldap", CredentialKind.PASSWORD, hostile));
        p.showApproval(
                SERVER,
                "alice",
                "oidc",
                new ApprovalPrompt(
                        URI.create("https://idp.example.com/\u202edevice"),
                        null,
                        "AB\u009bCD",
                        5,
                        Instant.parse("2030-01-01T00:10:00Z")));
        String shown = t.all();
        assertTrue(shown.contains("Pass<U+009B>2Jword <U+202E>gnp.exe<U+2066> <U+200B>"), shown);
        assertTrue(shown.contains("idp.example.com/<U+202E>device and enter the code AB<U+009B>CD"), shown);
        for (String line : t.shown()) {
            assertFalse(line.codePoints().anyMatch(SafeText::unsafe), line);
        }
    }
}
