package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line meets a server it does not know (through {@code export}, which runs the same flow as
 * {@code connect} without a tunnel): a person at a terminal confirms the key; without one, only a given
 * {@code --fingerprint} will do, and it is compared, not taken on trust.
 */
class FirstContactTest {

    @TempDir
    Path dir;

    private FakeControlServer server;
    private String key;

    @BeforeEach
    void start() throws Exception {
        server = new FakeControlServer(null);
        key = Fingerprint.ofKey(server.certificate()).toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path knownServers() {
        return dir.resolve("config/known_servers");
    }

    private int export(CliTestIo t, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "export",
                "--server",
                server.uri().toString(),
                "--user",
                "alice",
                "--output",
                dir.resolve("out/" + System.nanoTime() + ".conf").toString()));
        args.addAll(List.of(more));
        return ClientCommand.run(args.toArray(String[]::new), t.io);
    }

    private CliTestIo io(String stdin, Terminal terminal) {
        return new CliTestIo(stdin, terminal, dir.resolve("run"), dir.resolve("uapi"), dir.resolve("config"));
    }

    private String address() {
        return "127.0.0.1:" + server.uri().getPort();
    }

    @Test
    void onATerminalThePersonIsAskedAndTheConfirmedKeyIsRecorded() throws Exception {
        FakeTerminal person = new FakeTerminal("y", "secret");
        CliTestIo t = io("", person);

        assertEquals(0, export(t), t.err());

        assertTrue(
                person.shown().contains("Trust server " + address() + " with key fingerprint " + key + "? [y/N] "),
                person.all());
        assertEquals(List.of(address() + " " + key), Files.readAllLines(knownServers()));
        assertEquals(
                "Password for alice at " + address() + ": ",
                person.secretPrompts().get(0));

        FakeTerminal again = new FakeTerminal("secret");
        assertEquals(0, export(io("", again)));
        assertEquals(List.of("Password for alice at " + address() + ": "), again.shown(), "no second question");
    }

    @Test
    void aKeyThePersonDoesNotConfirmIsRefusedAndNothingIsRecordedOrSent() {
        CliTestIo t = io("", new FakeTerminal("n"));
        assertEquals(1, export(t));
        assertTrue(t.err().contains("the key of " + address() + " (" + key + ") was not confirmed"), t.err());
        assertFalse(Files.exists(knownServers()));
        assertEquals(List.of(), server.calls);
    }

    @Test
    void withoutATerminalAndWithoutFingerprintAnUnknownServerIsRefused() {
        CliTestIo t = io("secret\n", null);
        assertEquals(1, export(t));
        assertTrue(t.err().contains(address() + " is not a known server"), t.err());
        assertTrue(t.err().contains("--fingerprint"), t.err());
        assertFalse(Files.exists(knownServers()));
        assertEquals(List.of(), server.calls, "no request went to the unknown server");
    }

    @Test
    void aGivenFingerprintIsComparedAndAMismatchRefused() {
        String other = Fingerprint.ofKey(TestCertificates.selfSigned("other").certificate())
                .toString();
        CliTestIo t = io("secret\n", new FakeTerminal("y", "secret"));
        assertEquals(1, export(t, "--fingerprint", other));
        assertTrue(t.err().contains("not the one given (" + other + ")"), t.err());
        assertTrue(t.err().contains("presents the key " + key), t.err());
        assertFalse(Files.exists(knownServers()));
    }

    @Test
    void aGivenFingerprintThatMatchesNeedsNoTerminal() throws Exception {
        CliTestIo t = io("secret\n", null);
        assertEquals(0, export(t, "--fingerprint", key), t.err());
        assertEquals(List.of(address() + " " + key), Files.readAllLines(knownServers()));
    }

    @Test
    void aServerWhoseKeyChangedIsRefusedWithBothFingerprints() throws Exception {
        String old = Fingerprint.ofKey(TestCertificates.selfSigned("before").certificate())
                .toString();
        Files.createDirectories(knownServers().getParent());
        Files.writeString(knownServers(), address() + " " + old + "\n");
        CliTestIo t = io("secret\n", new FakeTerminal("y", "secret"));
        assertEquals(1, export(t));
        assertTrue(t.err().contains("has CHANGED: it was " + old + ", it is now " + key), t.err());
        assertTrue(t.err().contains("--fingerprint " + key), t.err());
    }
}
