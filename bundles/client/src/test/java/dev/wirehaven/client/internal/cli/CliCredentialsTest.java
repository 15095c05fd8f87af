package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.testing.FakeControlServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line asks for, as the server describes it, against the canned server: answers from
 * standard input in the order asked, the password file's permissions, approvals, and a hostile server's
 * text that must not reach the terminal as it was sent.
 */
class CliCredentialsTest {

    @TempDir
    Path dir;

    private FakeControlServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeControlServer(null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliTestIo io(String stdin, Terminal terminal) {
        return new CliTestIo(stdin, terminal, dir.resolve("run"), dir.resolve("uapi"), dir.resolve("config"));
    }

    private int export(CliTestIo t, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "export",
                "--server",
                server.uri().toString(),
                "--user",
                "alice",
                "--output",
                dir.resolve("out/" + System.nanoTime() + ".conf").toString(),
                "--fingerprint",
                Fingerprint.ofKey(server.certificate()).toString()));
        args.addAll(List.of(more));
        return ClientCommand.run(args.toArray(String[]::new), t.io);
    }

    @Test
    void standardInputAnswersEachPromptInTheOrderAsked() {
        server.auth.methods = List.of("ldap");
        server.auth.prompts = List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password"));
        server.auth.secondFactor = List.of("sms");
        server.auth.secondFactorPrompts =
                List.of(new MethodPrompt("sms", CredentialKind.ONE_TIME_CODE, "Code sent by SMS"));
        server.auth.oneTimeCode = "123456";
        CliTestIo t = io("secret\n123456\n", null);

        assertEquals(0, export(t), t.err());

        assertEquals("secret", server.auth.responses.get(0).password());
        assertEquals("ldap", server.auth.responses.get(0).method());
        assertEquals("123456", server.auth.responses.get(1).oneTimeCode());
    }

    @Test
    void onATerminalTheServersPromptsAreAskedWithoutEcho() {
        server.auth.methods = List.of("ldap");
        server.auth.prompts = List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password"));
        server.auth.oneTimeCode = "123456";
        FakeTerminal person = new FakeTerminal("secret", "123456");

        assertEquals(0, export(io("", person)));

        String at = " for alice at 127.0.0.1:" + server.uri().getPort() + ": ";
        assertEquals(List.of("Directory password" + at, "One-time code" + at), person.secretPrompts());
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedBeforeTheServerIsAsked() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CliTestIo t = io("", null);

        assertEquals(1, export(t, "--password-file", file.toString()));

        assertTrue(t.err().contains(file + " can be read by other users (rw-r--r--)"), t.err());
        assertTrue(t.err().contains("chmod 600"), t.err());
        assertEquals(List.of(), server.calls);
    }

    @Test
    void anOwnerOnlyPasswordFileIsUsed() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        CliTestIo t = io("", null);
        assertEquals(0, export(t, "--password-file", file.toString()), t.err());
    }

    @Test
    void anApprovalIsShownAndWaitedFor() {
        server.auth.methods = List.of("oidc");
        server.auth.prompts = List.of(new MethodPrompt("oidc", CredentialKind.APPROVAL, ""));
        server.auth.approval = new ApprovalPrompt(
                URI.create("https://idp.example.com/device"),
                URI.create("https://idp.example.com/device?user_code=WDJB-MJHT"),
                "WDJB-MJHT",
                1,
                Instant.now().plusSeconds(300));
        server.auth.approvalsPending.set(1);
        CliTestIo t = io("", null);

        assertEquals(0, export(t), t.err());

        assertTrue(t.err().contains("open https://idp.example.com/device and enter the code WDJB-MJHT"), t.err());
        assertTrue(t.err().contains("or open https://idp.example.com/device?user_code=WDJB-MJHT"), t.err());
        assertEquals(2, server.auth.approvalAnswers.size());
    }

    @Test
    void aHostileServersPromptsAndMessagesReachTheTerminalWithoutControlOrBidiCharacters() {
        String csi = "\u001b[2J\u001b]0;owned\u0007";
        server.auth.methods = List.of("ldap");
        server.auth.prompts = List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Pass\u009b2Jword\u202e"));
        server.auth.refusalMessage = "denied " + csi + " \u202etxt.exe\n\rfake prompt";
        FakeTerminal person = new FakeTerminal("wrong");
        CliTestIo t = io("", person);

        assertEquals(1, export(t));

        String everything = t.out() + t.err() + person.all();
        assertTrue(
                t.err().contains("denied <U+001B>[2J<U+001B>]0;owned<U+0007> <U+202E>txt.exe<U+000A><U+000D>fake"),
                t.err());
        assertTrue(person.all().contains("Pass<U+009B>2Jword<U+202E> for alice"), person.all());
        assertFalse(
                everything.replace("\n", "").codePoints().anyMatch(SafeText::unsafe),
                "only the command's own line ends: " + everything);
    }
}
