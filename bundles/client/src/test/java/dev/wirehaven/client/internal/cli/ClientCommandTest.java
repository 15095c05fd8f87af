package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.client.internal.net.ResolvConf;
import dev.wirehaven.client.internal.net.UndoJournal;
import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.wireguard.wgquick.StockClientConfig;
import dev.wirehaven.wireguard.wgquick.WgQuickParser;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCommandTest {

    @TempDir
    Path dir;

    private CliTestIo io(String stdin) {
        return new CliTestIo(stdin, dir.resolve("run"), dir.resolve("uapi"), dir.resolve("config"));
    }

    @Test
    void aUsageMistakeExitsWith2AndPointsToTheCommandsHelp() {
        CliTestIo t = io("");
        assertEquals(2, ClientCommand.run(new String[] {"connect", "--user", "alice"}, t.io));
        assertEquals(
                "wirehaven-client connect: --server is required (for example --server https://vpn.example.com:8443)\n"
                        + "See 'wirehaven-client connect --help'.\n",
                t.err());
    }

    @Test
    void helpPrintsTheCommandsTextAndExitsWith0() {
        CliTestIo t = io("");
        assertEquals(0, ClientCommand.run(new String[] {"export", "--help"}, t.io));
        assertTrue(t.out().contains("The config works as long as its session does"), t.out());
        CliTestIo overview = io("");
        assertEquals(0, ClientCommand.run(new String[] {"help"}, overview.io));
        assertTrue(overview.out().startsWith("usage: wirehaven-client <command> [options]"), overview.out());
    }

    @Test
    void statusWithoutAConnectionSaysSoAndExitsWith3() {
        CliTestIo t = io("");
        assertEquals(3, ClientCommand.run(new String[] {"status"}, t.io));
        assertEquals(
                "wh0: not connected (no " + RunDirectory.of(dir.resolve("run")).file("wh0", ".json") + ")\n", t.out());
    }

    @Test
    void statusOfADeadConnectProcessPointsToDisconnect() throws Exception {
        writeState(deadPid());
        CliTestIo t = io("");
        assertEquals(3, ClientCommand.run(new String[] {"status"}, t.io));
        assertTrue(t.out().contains("ended without cleaning up"), t.out());
        assertTrue(t.out().contains("'wirehaven-client disconnect --interface wh0'"), t.out());
    }

    @Test
    void statusOfARunningConnectionShowsItsStateFile() throws Exception {
        writeState(ProcessHandle.current().pid());
        CliTestIo t = io("");
        assertEquals(0, ClientCommand.run(new String[] {"status"}, t.io));
        assertTrue(t.out().contains("  server: https://vpn.example.com:8443, user alice, device lab\n"), t.out());
        assertTrue(t.out().contains("  addresses: 10.8.0.2/32\n"), t.out());
        assertTrue(t.out().contains("(no live counters: cannot read " + dir.resolve("uapi/wh0.sock")), t.out());
    }

    @Test
    void disconnectAfterADeadClientRestoresItsDnsAndRemovesTheStateFile() throws Exception {
        writeState(deadPid());
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.53\n");
        ResolvConf dns =
                ResolvConf.fileOnly(resolv, RunDirectory.of(dir.resolve("run")).file("wh0", ".resolv.conf"), "wh0");
        dns.apply(List.of(InetAddress.getByName("10.8.0.1")), List.of());
        new UndoJournal(RunDirectory.of(dir.resolve("run")), "wh0").write(dns.journal());

        CliTestIo t = io("");
        assertEquals(0, ClientCommand.run(new String[] {"disconnect"}, t.io));

        assertEquals("nameserver 192.0.2.53\n", Files.readString(resolv));
        assertFalse(Files.exists(RunDirectory.of(dir.resolve("run")).file("wh0", ".json")));
        assertTrue(t.out().contains("had ended without cleaning up; removed what it left"), t.out());
    }

    @Test
    void disconnectWithNothingConnectedExitsWith3() {
        CliTestIo t = io("");
        assertEquals(3, ClientCommand.run(new String[] {"disconnect", "--interface", "wh9"}, t.io));
        assertEquals("wh9: not connected\n", t.out());
    }

    @Test
    void exportWritesAnOwnerOnlyStockConfigAndItsQrCodeWithoutATunnel() throws Exception {
        try (FakeControlServer server = new FakeControlServer(null)) {
            Path conf = dir.resolve("out/phone.conf");
            Path png = dir.resolve("out/phone.png");
            CliTestIo t = io("secret\n");
            int status = ClientCommand.run(
                    new String[] {
                        "export",
                        "--server",
                        server.uri().toString(),
                        "--user",
                        "alice",
                        "--output",
                        conf.toString(),
                        "--qr",
                        png.toString(),
                        "--fingerprint",
                        Fingerprint.ofCertificate(server.certificate()).hex()
                    },
                    t.io);

            assertEquals(0, status, t.err());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(png)));
            StockClientConfig config = StockClientConfig.from(WgQuickParser.parse(conf));
            assertEquals("10.8.0.2/32", config.addresses().get(0).toString());
            assertEquals(List.of("corp.example"), config.dnsSearchDomains());
            assertEquals(
                    "192.0.2.1:51820", config.server().endpoint().orElseThrow().toString());
            assertEquals(25, config.server().persistentKeepalive().getAsInt());
            assertTrue(config.server().presharedKey().isPresent());
            byte[] signature = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertEquals("\u0089PNG", new String(signature, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertTrue(
                    t.out()
                            .contains("Recorded the key of 127.0.0.1:"
                                    + server.uri().getPort()),
                    t.out());
            assertTrue(t.out().contains("No tunnel was brought up here"), t.out());
            assertEquals(
                    List.of(
                            "POST /sessions",
                            "POST /{id}/auth",
                            "GET /{id}/server-config",
                            "PUT /{id}/client-config",
                            "POST /{id}/confirm"),
                    server.calls);
            assertEquals(0, server.deletes.get(), "the session stays for the stock app");
            assertEquals(
                    Fingerprint.ofKey(server.certificate()).toString(),
                    Files.readAllLines(dir.resolve("config/known_servers"))
                            .get(0)
                            .split(" ")[1]);
        }
    }

    @Test
    void exportNeverOverwritesAnExistingFile() throws Exception {
        Path conf = dir.resolve("phone.conf");
        Files.writeString(conf, "someone's key");
        CliTestIo t = io("secret\n");
        assertEquals(
                1,
                ClientCommand.run(
                        new String[] {
                            "export", "--server", "https://127.0.0.1:1", "--user", "alice", "--output", conf.toString()
                        },
                        t.io));
        assertTrue(t.err().contains(conf + " already exists"), t.err());
        assertEquals("someone's key", Files.readString(conf));
    }

    @Test
    void aWrongPasswordFailsWithTheServersMessage() throws Exception {
        try (FakeControlServer server = new FakeControlServer(null)) {
            CliTestIo t = io("wrong\n");
            assertEquals(
                    1,
                    ClientCommand.run(
                            new String[] {
                                "export",
                                "--server",
                                server.uri().toString(),
                                "--user",
                                "alice",
                                "--output",
                                dir.resolve("x.conf").toString(),
                                "--fingerprint",
                                Fingerprint.ofKey(server.certificate()).toString()
                            },
                            t.io));
            assertTrue(
                    t.err().contains("the server refused the credentials of alice: the credentials were not accepted"),
                    t.err());
            assertFalse(Files.exists(dir.resolve("x.conf")));
        }
    }

    private void writeState(long pid) throws Exception {
        new StateFile(RunDirectory.of(dir.resolve("run")), "wh0")
                .write(new StateFile.State(
                        pid,
                        null,
                        "https://vpn.example.com:8443",
                        "alice",
                        "wh0",
                        "lab",
                        null,
                        "ACTIVE",
                        "s1",
                        List.of("10.8.0.2/32"),
                        "192.0.2.1:51820",
                        Instant.parse("2030-01-01T00:00:00Z"),
                        12,
                        Instant.now()));
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
