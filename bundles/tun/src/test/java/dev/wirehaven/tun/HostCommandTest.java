package dev.wirehaven.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one runner of host programs, on coreutils and grep (no root, no network). */
class HostCommandTest {

    private static HostCommand installed(String name) {
        HostCommand c = HostCommand.find(name, "/usr/bin/" + name, "/bin/" + name);
        assumeTrue(c.isInstalled(), () -> name + " is not installed");
        return c;
    }

    @Test
    void theSystemsOwnDirectoryWinsOverWhatPathPutsFirst() {
        // PATH has /usr/bin (or /usr/local/bin) before /bin: the usual path given must still be taken
        assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/echo")), "no /bin/echo");
        assertEquals("/bin/echo", HostCommand.find("echo", "/bin/echo").program());
    }

    @Test
    void returnsTheStandardOutputOfAProgramThatSucceeds() throws Exception {
        assertEquals("wirehaven\n", installed("echo").run(List.of("wirehaven")));
    }

    @Test
    void argumentsReachTheProgramAsTheyAreBecauseNoShellIsInvolved() throws Exception {
        String word = "$(id) `id` ; * && | > x";
        assertEquals(word + "\n", installed("echo").run(List.of(word)));
    }

    @Test
    void aFailureNamesTheCommandItsExitStatusAndItsStandardError() {
        HostCommand ls = installed("ls");
        IOException e = assertThrows(IOException.class, () -> ls.run(List.of("/wirehaven-no-such-dir")));
        String m = e.getMessage();
        assertTrue(m.contains("'" + ls.program() + " /wirehaven-no-such-dir' failed (exit 2): "), m);
        assertTrue(m.contains("No such file or directory"), m);
    }

    @Test
    void standardInputReachesTheProgramButNeverTheErrorMessage() throws Exception {
        HostCommand grep = installed("grep");
        assertEquals("nameserver 10.8.0.1\n", grep.run(List.of("nameserver"), "# comment\nnameserver 10.8.0.1\n"));
        IOException e = assertThrows(IOException.class, () -> grep.run(List.of("-q", "absent"), "password hunter2\n"));
        assertTrue(e.getMessage().contains("failed (exit 1): no message"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aProgramThatDoesNotReadItsInputStillFinishes() throws Exception {
        assertEquals("", installed("true").run(List.of(), "x".repeat(1 << 20)));
    }

    @Test
    void aProgramThatOverrunsItsTimeIsKilledEvenWhileItKeepsItsOutputOpen() {
        HostCommand sleep = installed("sleep").withTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> sleep.run(List.of("30")));
        assertTrue(
                e.getMessage().contains("'" + sleep.program() + " 30' did not finish within 300 ms"), e.getMessage());
        assertTrue(
                System.nanoTime() - start < Duration.ofSeconds(10).toNanos(),
                "returned at the timeout, not at the program's end");
    }

    @Test
    void aMissingProgramIsReportedWithTheCommandItWasToRun() {
        HostCommand missing = HostCommand.find("wirehaven-no-such-program");
        assertFalse(missing.isInstalled());
        IOException e = assertThrows(IOException.class, () -> missing.run(List.of("--help")));
        assertTrue(e.getMessage().startsWith("cannot run 'wirehaven-no-such-program --help': "), e.getMessage());
    }

    @Test
    void anInterruptedCallerGetsAnInterruptedIoExceptionAndKeepsItsInterrupt() {
        HostCommand sleep = installed("sleep");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> sleep.run(List.of("30")));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
