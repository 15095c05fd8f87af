package dev.wirehaven.client.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On files of a temporary directory, never the host's /etc/resolv.conf. */
class ResolvConfTest {

    @TempDir
    Path dir;

    private static final String ORIGINAL = "nameserver 192.0.2.53\nsearch home.example\n";

    @Test
    void writesTheTunnelsServersAndDomainsAndPutsTheOriginalBack() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, ORIGINAL);
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("run/wh0.resolv.conf"), "wh0");

        dns.apply(
                List.of(InetAddress.getByName("10.8.0.1"), InetAddress.getByName("fd00::1")), List.of("corp.example"));
        String during = Files.readString(file);
        assertTrue(during.startsWith("# Written by wirehaven-client for wh0\n"), during);
        assertTrue(during.contains("nameserver 10.8.0.1\nnameserver fd00::1\nsearch corp.example\n"), during);
        assertEquals(ORIGINAL, Files.readString(dir.resolve("run/wh0.resolv.conf")), "the original is backed up");

        assertNull(dns.restore());
        assertEquals(ORIGINAL, Files.readString(file));
        assertFalse(Files.exists(dir.resolve("run/wh0.resolv.conf")));
    }

    @Test
    void writesInPlaceSoThatABindMountedFileKeepsItsInode() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, ORIGINAL);
        Object inode = Files.getAttribute(file, "unix:ino");
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("wh0.resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        assertEquals(inode, Files.getAttribute(file, "unix:ino"));
        dns.restore();
        assertEquals(inode, Files.getAttribute(file, "unix:ino"));
    }

    @Test
    void aSymbolicLinkIsReplacedByAFileAndPutBackAsTheSameLink() throws Exception {
        Path target = dir.resolve("stub-resolv.conf");
        Files.writeString(target, ORIGINAL);
        Path file = dir.resolve("resolv.conf");
        Files.createSymbolicLink(file, target);
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("wh0.resolv.conf"), "wh0");

        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        assertFalse(Files.isSymbolicLink(file));
        assertEquals(ORIGINAL, Files.readString(target), "the link's target is not written through");

        dns.restore();
        assertTrue(Files.isSymbolicLink(file));
        assertEquals(target, Files.readSymbolicLink(file));
    }

    @Test
    void aFileThatAnotherProgramRewroteMeanwhileIsLeftAlone() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, ORIGINAL);
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("wh0.resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        Files.writeString(file, "nameserver 198.51.100.1\n");

        String left = dns.restore();
        assertTrue(left != null && left.contains("was changed by another program"), left);
        assertEquals("nameserver 198.51.100.1\n", Files.readString(file));
    }

    @Test
    void noServersAndNoDomainsLeaveTheFileUntouched() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, ORIGINAL);
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("wh0.resolv.conf"), "wh0");
        dns.apply(List.of(), List.of());
        assertEquals(ORIGINAL, Files.readString(file));
        assertEquals(List.of(), dns.journal());
    }

    @Test
    void theJournalLineRestoresAfterACrash() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, ORIGINAL);
        ResolvConf dns = ResolvConf.fileOnly(file, dir.resolve("wh0.resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        UndoJournal.ResolvFile entry = (UndoJournal.ResolvFile) dns.journalEntry();
        // the client dies here; a later process replays its journal
        assertEquals("restored " + file, ResolvConf.recover(entry.file(), false, entry.backup(), "wh0"));
        assertEquals(ORIGINAL, Files.readString(file));
    }
}
