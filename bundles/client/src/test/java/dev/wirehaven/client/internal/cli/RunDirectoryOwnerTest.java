package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.client.testing.Planted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory holds what a client running as root reads back and acts on (the undo journal, the
 * state with the pid that {@code disconnect} signals). One that another user owns, may write, or has
 * replaced by a symbolic link is refused, with the directory and the way out, before anything in it is
 * read.
 */
class RunDirectoryOwnerTest {

    @TempDir
    Path dir;

    private Path run() {
        return dir.resolve("run");
    }

    private CliTestIo io() {
        return new CliTestIo("", run(), dir.resolve("uapi"), dir.resolve("config"));
    }

    /** An old journal that runs {@code evil} when replayed, and the marker it leaves. */
    private Path plantJournal() throws Exception {
        Path marker = dir.resolve("ran");
        Planted.program(dir.resolve("evil"), marker);
        Planted.file(run(), "wh0", ".undo", "dns-resolvconf " + dir.resolve("evil") + " wh0\n");
        return marker;
    }

    @Test
    void disconnectRefusesARunDirectoryOwnedByAnotherUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
        Path marker = plantJournal();
        Files.setAttribute(run(), "unix:uid", 12345);
        Files.setPosixFilePermissions(run(), PosixFilePermissions.fromString("rwx------"));

        CliTestIo t = io();
        assertEquals(1, ClientCommand.run(new String[] {"disconnect"}, t.io));

        assertFalse(Files.exists(marker), "something planted in the directory was run");
        assertTrue(t.err().contains(run().toString()), t.err());
        assertTrue(t.err().contains("owned by uid 12345"), t.err());
        assertTrue(t.err().contains("WIREHAVEN_CLIENT_RUN_DIR"), "says the way out: " + t.err());
    }

    @Test
    void statusRefusesARunDirectoryThatOthersMayWrite() throws Exception {
        Files.createDirectories(run());
        Files.setPosixFilePermissions(run(), PosixFilePermissions.fromString("rwxrwxrwx"));

        CliTestIo t = io();
        assertEquals(1, ClientCommand.run(new String[] {"status"}, t.io));

        assertTrue(t.err().contains(run().toString()), t.err());
        assertTrue(t.err().contains("writable by group or others"), t.err());
        assertTrue(t.err().contains("chmod 700"), "says the fix: " + t.err());
    }

    @Test
    void disconnectRefusesARunDirectoryThatIsASymbolicLink() throws Exception {
        Path real = Files.createDirectory(
                dir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(run(), real);
        Path marker = dir.resolve("ran");
        Planted.program(dir.resolve("evil"), marker);
        Planted.file(real, "wh0", ".undo", "dns-resolvconf " + dir.resolve("evil") + " wh0\n");

        CliTestIo t = io();
        assertEquals(1, ClientCommand.run(new String[] {"disconnect"}, t.io));

        assertFalse(Files.exists(marker), "something behind the link was run");
        assertTrue(t.err().contains(run() + " is a symbolic link"), t.err());
    }
}
