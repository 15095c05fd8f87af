package dev.wirehaven.client.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes, policy rules and addresses through the real {@code ip}, in a network namespace that the
 * test creates and deletes (root only; skipped otherwise). A persistent TUN interface made by
 * {@code ip tuntap} stands in for the client's, which the JVM could only open in its own namespace.
 *
 * <pre>
 *   namespace wh-client-test-N:  lo, wh0 (tun; 10.8.0.2/32), main table, table 51820+
 * </pre>
 */
class LinuxHostNetworkInNamespaceTest {

    @TempDir
    Path dir;

    private String ns;
    private Ip ip;
    private RunDirectory run;
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void createNamespace() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        ns = "wh-client-test-" + ProcessHandle.current().pid();
        Ip host = Ip.inThisNamespace();
        host.run(List.of("netns", "add", ns));
        ip = Ip.inNamespace(ns);
        run = RunDirectory.of(dir.resolve("run"));
        ip.run(List.of("tuntap", "add", "dev", "wh0", "mode", "tun"));
        ip.run(List.of("link", "set", "lo", "up"));
    }

    @AfterEach
    void deleteNamespace() {
        if (ns != null) {
            Ip.inThisNamespace().tryRun(List.of("netns", "del", ns));
        }
    }

    private NetworkSettings settings(List<String> routes) throws IOException {
        return new NetworkSettings(
                List.of(InterfaceAddress.parse("10.8.0.2/32")),
                1420,
                routes.stream().map(Cidr::parse).toList(),
                List.of(InetAddress.getByName("10.8.0.1")),
                List.of("corp.example"),
                List.of(InetAddress.getByName("203.0.113.5")));
    }

    private LinuxHostNetwork configure(NetworkSettings s, Path resolv) throws IOException {
        return LinuxHostNetwork.configure(
                "wh0",
                s,
                ip,
                ResolvConf.fileOnly(resolv, run.file("wh0", ".resolv.conf"), "wh0"),
                new UndoJournal(run, "wh0"),
                notices::add);
    }

    private String show(String... args) throws IOException {
        return ip.run(List.of(args));
    }

    @Test
    void aFullTunnelGoesIntoItsOwnTableWithRulesAndEverythingIsUndoneOnClose() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        LinuxHostNetwork net = configure(settings(List.of("0.0.0.0/0", "10.8.0.0/24")), resolv);

        assertTrue(show("-4", "address", "show", "dev", "wh0").contains("inet 10.8.0.2/32"));
        assertTrue(show("link", "show", "wh0").contains("mtu 1420"));
        String table = show("-4", "route", "show", "table", "51820");
        assertTrue(table.contains("default dev wh0") && table.contains("10.8.0.0/24 dev wh0"), table);
        String rules = show("-4", "rule", "show");
        assertTrue(rules.contains("32760:\tfrom all to 203.0.113.5 lookup main"), rules);
        assertTrue(rules.contains("32761:\tfrom all to 203.0.113.5 unreachable"), rules);
        assertTrue(rules.contains("32762:\tfrom all lookup main suppress_prefixlength 0"), rules);
        assertTrue(rules.contains("32763:\tfrom all lookup 51820"), rules);
        assertFalse(show("-4", "route", "show").contains("dev wh0"), "nothing in the main table");
        assertTrue(show("-4", "route", "get", "198.51.100.7").contains("dev wh0 table 51820"));
        // the main table here has no route to the server (as when the link is down): its packets must fail,
        // not fall through into the tunnel, which would carry the tunnel's own UDP round and round
        IOException unreachable = assertThrows(IOException.class, () -> show("-4", "route", "get", "203.0.113.5"));
        assertTrue(unreachable.getMessage().contains("unreachable"), unreachable.getMessage());
        assertTrue(Files.readString(resolv).contains("nameserver 10.8.0.1\nsearch corp.example\n"));
        List<UndoJournal.Entry> journal = new UndoJournal(run, "wh0").read(resolv);
        assertTrue(journal.contains(new UndoJournal.Rule("-4", 32763, List.of("lookup", "51820"))), journal.toString());
        assertTrue(
                journal.contains(new UndoJournal.Rule("-4", 32760, List.of("to", "203.0.113.5/32", "lookup", "main"))),
                journal.toString());

        net.close();

        String after = show("-4", "rule", "show");
        assertFalse(
                after.contains("51820") || after.contains("203.0.113.5") || after.contains("suppress_prefixlength"),
                after);
        assertEquals("", show("-4", "route", "show", "table", "51820").strip());
        assertEquals("nameserver 192.0.2.53\n", Files.readString(resolv));
        assertFalse(Files.exists(run.file("wh0", ".undo")));
    }

    @Test
    void aSplitTunnelUsesTheMainTableAndAPolicyUpdateMovesBetweenTheTwo() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        LinuxHostNetwork net = configure(settings(List.of("10.8.0.0/24", "192.168.10.0/24")), resolv);
        String main = show("-4", "route", "show");
        assertTrue(main.contains("10.8.0.0/24 dev wh0") && main.contains("192.168.10.0/24 dev wh0"), main);
        assertFalse(show("-4", "rule", "show").contains("32763"));

        net.update(settings(List.of("0.0.0.0/0")));
        assertFalse(show("-4", "route", "show").contains("192.168.10.0/24"), "the split routes went");
        assertTrue(show("-4", "rule", "show").contains("32763:\tfrom all lookup 51820"));

        net.update(settings(List.of("172.16.0.0/16")));
        assertTrue(show("-4", "route", "show").contains("172.16.0.0/16 dev wh0"));
        assertFalse(show("-4", "rule", "show").contains("32763"), "the rules went with the full tunnel");
        net.close();
        assertFalse(show("-4", "route", "show").contains("172.16.0.0/16"));
    }

    @Test
    void theJournalUndoesTheRulesOfAClientThatDied() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        configure(settings(List.of("0.0.0.0/0")), resolv);
        // the client is killed here: no close()

        List<String> said = new ArrayList<>();
        assertTrue(new UndoJournal(run, "wh0").replay(ip, resolv, said::add));

        String rules = show("-4", "rule", "show");
        assertFalse(rules.contains("51820") || rules.contains("suppress_prefixlength"), rules);
        assertEquals("nameserver 192.0.2.53\n", Files.readString(resolv));
        assertTrue(said.contains("restored " + resolv), said.toString());
    }
}
