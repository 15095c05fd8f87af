package dev.wirehaven.client.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory's checks and names, with the owner and the namespace identity injected. */
class RunDirectoryTest {

    @TempDir
    Path dir;

    private int me() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    @Test
    void createsAMissingRunDirectoryOwnerOnly() throws Exception {
        RunDirectory run = RunDirectory.of(dir.resolve("a/run"));
        run.create();
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(run.path(), LinkOption.NOFOLLOW_LINKS)));
        run.create(); // an existing safe one is taken as it is
    }

    @Test
    void refusesADirectoryOfAnotherUserThanTheExpectedOne() throws Exception {
        Files.createDirectory(
                dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        RunDirectory run = new RunDirectory(dir.resolve("run"), "ns1", me() + 1);
        IOException e = assertThrows(IOException.class, run::check);
        assertTrue(
                e.getMessage().contains("owned by uid " + me() + ", not by this process's user (uid " + (me() + 1)),
                e.getMessage());
        new RunDirectory(dir.resolve("run"), "ns1", me()).check();
    }

    @Test
    void refusesAFileInsteadOfADirectory() throws Exception {
        Files.writeString(dir.resolve("run"), "");
        IOException e = assertThrows(
                IOException.class, () -> RunDirectory.of(dir.resolve("run")).create());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void twoNetworkNamespacesNeverShareAFile() {
        RunDirectory a = new RunDirectory(dir, "ns4026531840", 0);
        RunDirectory b = new RunDirectory(dir, "ns4026532999", 0);
        for (String suffix : new String[] {".json", ".access", ".undo", ".resolv.conf"}) {
            assertNotEquals(a.file("wh0", suffix), b.file("wh0", suffix));
        }
        assertEquals(dir.resolve("wh0.ns4026531840.json"), a.file("wh0", ".json"));
    }

    @Test
    void refusesANameThatIsNoInterfaceOrNamespace() {
        RunDirectory run = new RunDirectory(dir, "ns1", 0);
        assertThrows(IllegalArgumentException.class, () -> run.file("../../etc/x", ".json"));
        assertThrows(IllegalArgumentException.class, () -> new RunDirectory(dir, "../x", 0));
    }

    @Test
    void knowsThisProcesssNetworkNamespace() throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertEquals("ns" + link.substring(link.indexOf('[') + 1, link.indexOf(']')), NetworkNamespace.current());
    }
}
