package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands through Gogo's own command processor, registered as the component's properties say. */
class TotpCommandTest {

    @TempDir
    Path data;

    private Fixture fx;
    private ThreadIOImpl threadIo;
    private CommandSession session;

    @BeforeEach
    void open() {
        fx = new Fixture(TestDatabase.Engine.H2, data);
        threadIo = new ThreadIOImpl();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        TotpCommand command = new TotpCommand(fx.enrollment);
        for (String function : new String[] {"enroll", "confirm", TotpCommand.BACKUP_CODES, "status", "remove"}) {
            processor.addCommand("totp", command, function);
        }
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterEach
    void close() throws Exception {
        session.close();
        threadIo.stop();
        fx.close();
    }

    private String run(String line) throws Exception {
        return (String) session.execute(line);
    }

    @Test
    void enrollConfirmBackupCodesStatusAndRemoveFromTheShell() throws Exception {
        String enrolled = run("totp:enroll alice");
        assertTrue(enrolled.contains("otpauth://totp/Wirehaven:alice?secret="), enrolled);
        byte[] secret = Fixture.secretIn(enrolled);

        // a code with a leading zero stays text: Gogo passes it to the String parameter as typed
        String confirmed = run("totp:confirm alice " + fx.code(secret, 0));
        assertTrue(confirmed.startsWith("Authenticator of alice confirmed"), confirmed);

        String codes = run("totp:backup-codes alice");
        assertTrue(codes.startsWith("10 new backup codes for alice."), codes);
        assertTrue(run("totp:status alice").contains("10 backup codes left"));
        assertTrue(run("totp:remove alice").startsWith("Authenticator and backup codes of alice removed"));
    }

    @Test
    void aNameWithBlanksIsQuoted() throws Exception {
        assertTrue(run("totp:enroll 'Jane Doe'").contains("otpauth://totp/Wirehaven:Jane%20Doe?secret="));
    }

    @Test
    void aRefusalIsTheMessageTheShellPrints() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> run("totp:remove alice"));
        assertEquals("alice has no authenticator.", e.getMessage());
    }

    @Test
    void theWrongNumberOfArgumentsGetsTheUsage() {
        assertEquals(
                "Usage: totp:backup-codes <user>",
                assertThrows(EnrollmentException.class, () -> run("totp:backup-codes"))
                        .getMessage());
        assertEquals(
                "Usage: totp:confirm <user> <code>",
                assertThrows(EnrollmentException.class, () -> run("totp:confirm alice"))
                        .getMessage());
        assertEquals(
                "Usage: totp:enroll <user>",
                assertThrows(EnrollmentException.class, () -> run("totp:enroll"))
                        .getMessage());
    }
}
