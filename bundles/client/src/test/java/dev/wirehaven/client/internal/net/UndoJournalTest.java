package dev.wirehaven.client.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.IpCommand;
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

    @Test
    void isOwnerOnlyAndGoneWhenThereIsNothingToUndo() throws Exception {
        UndoJournal journal = new UndoJournal(dir.resolve("run"), "wh0");
        journal.write(List.of("ip -4 rule del lookup 51820 pref 32763"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.file())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(journal.file().getParent())));
        journal.write(List.of());
        assertFalse(Files.exists(journal.file()));
    }

    @Test
    void replayRestoresWhatADeadClientLeftAndRemovesTheJournal() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        ResolvConf dns = ResolvConf.fileOnly(resolv, dir.resolve("run/wh0.resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        UndoJournal journal = new UndoJournal(dir.resolve("run"), "wh0");
        journal.write(dns.journal());

        List<String> said = new ArrayList<>();
        assertTrue(journal.replay(IpCommand.inThisNamespace(), said::add));

        assertEquals("nameserver 192.0.2.53\n", Files.readString(resolv));
        assertEquals(List.of("restored " + resolv), said);
        assertFalse(Files.exists(journal.file()));
        assertFalse(journal.replay(IpCommand.inThisNamespace(), said::add), "nothing left the second time");
    }
}
