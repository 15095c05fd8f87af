package dev.wirehaven.client.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.internal.files.RunDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndoJournalTest {

    @TempDir
    Path dir;

    private RunDirectory run() {
        return RunDirectory.of(dir.resolve("run"));
    }

    @Test
    void isOwnerOnlyAndGoneWhenThereIsNothingToUndo() throws Exception {
        UndoJournal journal = new UndoJournal(run(), "wh0");
        journal.write(List.of(new UndoJournal.Rule("-4", 32763, List.of("lookup", "51820"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.file())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(journal.file().getParent())));
        journal.write(List.of());
        assertFalse(Files.exists(journal.file()));
    }

    @Test
    void holdsDataThatReadsBackAsTheSameEntries() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        UndoJournal journal = new UndoJournal(run(), "wh0");
        List<UndoJournal.Entry> entries = List.of(
                new UndoJournal.Rule("-6", 32763, List.of("lookup", "51821")),
                new UndoJournal.Rule("-4", 32761, List.of("to", "203.0.113.5/32", "unreachable")),
                new UndoJournal.Rule("-4", 32762, List.of("lookup", "main", "suppress_prefixlength", "0")),
                new UndoJournal.Resolvconf("tun.wh0"),
                new UndoJournal.ResolvFile(resolv, run().file("wh0", ".resolv.conf")));
        journal.write(entries);
        assertEquals(UndoJournal.HEADER, Files.readAllLines(journal.file()).get(0));
        assertEquals(entries, journal.read(resolv));
    }

    @Test
    void refusesAnEntryThatNamesAnotherResolverFileOrBackup() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        UndoJournal journal = new UndoJournal(run(), "wh0");
        journal.write(List.of(new UndoJournal.ResolvFile(Path.of("/etc/passwd"), run().file("wh0", ".resolv.conf"))));
        IOException e = assertThrows(IOException.class, () -> journal.read(resolv));
        assertTrue(e.getMessage().contains("refused " + journal.file()), e.getMessage());
        journal.write(List.of(new UndoJournal.ResolvFile(resolv, dir.resolve("elsewhere"))));
        assertThrows(IOException.class, () -> journal.read(resolv));
        assertTrue(Files.exists(journal.file()), "a refused journal stays for a person to look at");
    }

    @Test
    void replayRestoresWhatADeadClientLeftAndRemovesTheJournal() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        ResolvConf dns = ResolvConf.fileOnly(resolv, run().file("wh0", ".resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        UndoJournal journal = new UndoJournal(run(), "wh0");
        journal.write(dns.journal());

        List<String> said = new ArrayList<>();
        assertTrue(journal.replay(Ip.inThisNamespace(), resolv, said::add));

        assertEquals("nameserver 192.0.2.53\n", Files.readString(resolv));
        assertEquals(List.of("restored " + resolv), said);
        assertFalse(Files.exists(journal.file()));
        assertFalse(journal.replay(Ip.inThisNamespace(), resolv, said::add), "nothing left the second time");
    }
}
