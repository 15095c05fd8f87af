package dev.wirehaven.interfaces.internal.wgquickimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.interfaces.internal.wireguard.InterfaceSettings;
import dev.wirehaven.interfaces.internal.wireguard.StaticPeer;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.wgquick.Endpoint;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WgQuickImportTest {

    @TempDir
    Path tmp;

    private Path etc;
    private Path data;
    private WgQuickImport importer;
    private final Key serverKey = Keys.generatePrivate();
    private final Key clientPublic = Keys.publicFrom(Keys.generatePrivate());

    @BeforeEach
    void home() {
        etc = tmp.resolve("home/etc");
        data = tmp.resolve("home/data");
        importer = new WgQuickImport(etc, data);
    }

    /** The seed's server example (shared/seed/server-client-interactions.md) with real keys. */
    private Path seedServerExample() throws IOException {
        return write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                ListenPort = 51820
                PostUp = iptables -A FORWARD -i wg0 -j ACCEPT
                PostDown = iptables -D FORWARD -i wg0 -j ACCEPT

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32
                """.formatted(serverKey.toBase64(), clientPublic.toBase64()));
    }

    @Test
    void theSeedsServerExampleBecomesAnInterfaceConfigurationAndAnOwnerOnlyKeyFile() throws Exception {
        Path source = seedServerExample();

        String report = importer.run(new WgQuickImport.Request(source, null, false));

        assertEquals(
                """
                # WireGuard interface wg0, imported from %s
                # by 'wirehaven import-wg-quick'. FileInstall applies this file while the server runs:
                # edit it here or in the web console (Configuration > Wirehaven WireGuard interface).
                # The settings are explained in dev.wirehaven.wireguard.interface-wg0.cfg.example.
                name = wg0
                listenPort = 51820
                addresses = 10.0.0.1/24
                mtu = 1420
                privateKeyFile = keys/wg0.key
                postUp = iptables -A FORWARD -i wg0 -j ACCEPT
                postDown = iptables -D FORWARD -i wg0 -j ACCEPT
                peers = %s allowed-ips 10.0.0.2/32
                """.formatted(source, clientPublic.toBase64()),
                Files.readString(
                        etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg"), StandardCharsets.ISO_8859_1));
        Path keyFile = data.resolve("keys/wg0.key");
        assertEquals(serverKey.toBase64() + "\n", Files.readString(keyFile, StandardCharsets.US_ASCII));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
        assertTrue(report.contains("public key " + Keys.publicFrom(serverKey).toBase64()), report);
        assertTrue(
                report.contains("PostUp      postUp: 1 command (/bin/sh -c, %i is the interface name), run once"),
                report);
        assertTrue(report.contains("[Peer]      peers: 1 static peer;"), report);
        assertFalse(report.contains("Not imported"), "the seed's example uses nothing that is left out:\n" + report);
        assertFalse(report.contains("Check:"), "its hooks name wg0, which it still is:\n" + report);
        assertFalse(report.contains(serverKey.toBase64()), "the private key never reaches the report");
    }

    @Test
    void theWrittenFileReadsBackThroughFileInstallToTheSettingsOfTheWgQuickFile() throws Exception {
        Key psk = Keys.generatePreshared();
        Key second = Keys.publicFrom(Keys.generatePrivate());
        // shell that a naive .cfg would break: a variable in braces (FileInstall's own syntax), an
        // awk program, backslashes, a '#' after quoting (cut by wg-quick, so absent), non-ASCII
        Path source = write("office.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.8.0.1/24, fd00:8::1/64
                ListenPort = 51821
                MTU = 1380
                PreUp = sysctl -w net.ipv4.ip_forward=1
                PostUp = iptables -t nat -A POSTROUTING -o ${WAN:-eth0} -j MASQUERADE
                PostUp = ip -o link show %%i | awk '{print $2}' > /tmp/up\\ done
                PostUp = logger "interface %%i up: äöü"
                PreDown = logger "%%i going down"
                PostDown = iptables -t nat -D POSTROUTING -o ${WAN:-eth0} -j MASQUERADE

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.8.0.2/32, fd00:8::2/128
                Endpoint = branch.example.com:51820
                PersistentKeepalive = 25

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.8.0.3/32
                Endpoint = [2001:db8::3]:51000
                """.formatted(
                        serverKey.toBase64(), clientPublic.toBase64(), psk.toBase64(), second.toBase64()));

        importer.run(new WgQuickImport.Request(source, null, false));

        InterfaceSettings read = InterfaceSettings.from(
                readAsFileInstallDoes(etc.resolve("dev.wirehaven.wireguard.interface-office.cfg")), data);
        assertEquals("office", read.name());
        assertEquals(51821, read.listenPort());
        assertEquals(1380, read.mtu());
        assertEquals(
                List.of("10.8.0.1/24", "fd00:8::1/64"),
                read.addresses().stream().map(Object::toString).toList());
        assertEquals(data.resolve("keys/office.key"), read.privateKeyFile());
        assertEquals(List.of("sysctl -w net.ipv4.ip_forward=1"), read.preUp());
        assertEquals(
                List.of(
                        "iptables -t nat -A POSTROUTING -o ${WAN:-eth0} -j MASQUERADE",
                        "ip -o link show %i | awk '{print $2}' > /tmp/up\\ done",
                        "logger \"interface %i up: äöü\""),
                read.postUp());
        assertEquals(List.of("logger \"%i going down\""), read.preDown());
        assertEquals(List.of("iptables -t nat -D POSTROUTING -o ${WAN:-eth0} -j MASQUERADE"), read.postDown());
        assertEquals(
                List.of(
                        new StaticPeer(
                                clientPublic,
                                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("fd00:8::2/128")),
                                new Endpoint("branch.example.com", 51820),
                                25,
                                data.resolve("keys/office-peer1.psk")),
                        new StaticPeer(
                                second,
                                List.of(Cidr.parse("10.8.0.3/32")),
                                new Endpoint("2001:db8::3", 51000),
                                0,
                                null)),
                read.peers());
        assertEquals(psk.toBase64() + "\n", Files.readString(data.resolve("keys/office-peer1.psk")));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("keys/office-peer1.psk"))));
    }

    @Test
    void anExistingConfigurationIsReplacedOnlyWithForce() throws Exception {
        Path source = seedServerExample();
        Path cfg = etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg");
        Files.createDirectories(etc);
        Files.writeString(cfg, "name = wg0\nlistenPort = 51999\n");

        ImportException refused =
                assertThrows(ImportException.class, () -> importer.run(new WgQuickImport.Request(source, null, false)));

        assertTrue(refused.getMessage().startsWith(cfg + " already exists"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
        assertEquals("name = wg0\nlistenPort = 51999\n", Files.readString(cfg));
        assertFalse(Files.exists(data.resolve("keys/wg0.key")), "nothing is written when the import is refused");

        importer.run(new WgQuickImport.Request(source, null, true));

        assertTrue(Files.readString(cfg).contains("listenPort = 51820\n"));
    }

    @Test
    void anotherKeyInTheKeyFileIsReplacedOnlyWithForceAndTheSameKeyIsKept() throws Exception {
        Path source = seedServerExample();
        Path keyFile = data.resolve("keys/wg0.key");
        Files.createDirectories(keyFile.getParent());
        String other = Keys.generatePrivate().toBase64() + "\n";
        Files.writeString(keyFile, other);

        ImportException refused =
                assertThrows(ImportException.class, () -> importer.run(new WgQuickImport.Request(source, null, false)));

        assertTrue(
                refused.getMessage().startsWith(keyFile + " already holds another private key"), refused.getMessage());
        assertEquals(other, Files.readString(keyFile));
        assertFalse(Files.exists(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg")));

        importer.run(new WgQuickImport.Request(source, null, true));
        assertEquals(serverKey.toBase64() + "\n", Files.readString(keyFile));

        Files.delete(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg"));
        importer.run(new WgQuickImport.Request(source, null, false));
        assertEquals(serverKey.toBase64() + "\n", Files.readString(keyFile), "the same key is no conflict");
    }

    @Test
    void aFileThatWgQuickRejectsIsReportedWithFileLineKeyAndFixAndNothingIsWritten() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                ListenPort = 70000
                Adress = 10.0.0.1/24

                [Peer]
                PublicKey = not-a-key
                AllowedIPs = 10.0.0.2/32
                """.formatted(serverKey.toBase64()));

        ImportException e =
                assertThrows(ImportException.class, () -> importer.run(new WgQuickImport.Request(source, null, false)));

        List<String> lines = e.getMessage().lines().toList();
        assertTrue(lines.get(0).startsWith(source + ":3: ListenPort: "), lines.get(0));
        assertTrue(lines.get(1).startsWith(source + ":4: Adress: unknown key"), lines.get(1));
        assertTrue(lines.get(2).startsWith(source + ":7: PublicKey: not a base64 WireGuard key"), lines.get(2));
        assertTrue(lines.get(2).contains("wg genkey | wg pubkey"), "the fix: " + lines.get(2));
        assertEquals(
                source + " was not imported; nothing was written. Fix the lines above (wg-quick would refuse"
                        + " them too) and import it again.",
                lines.get(3));
        assertFalse(Files.exists(etc), "no configuration");
        assertFalse(Files.exists(data), "no key");
    }

    @Test
    void anMtuThatTheServerRefusesIsReportedWithTheFileAndKey() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = fd00::1/64
                MTU = 1200
                """.formatted(serverKey.toBase64()));

        ImportException e =
                assertThrows(ImportException.class, () -> importer.run(new WgQuickImport.Request(source, null, false)));

        assertTrue(
                e.getMessage()
                        .startsWith(source + ": MTU: 1200 is below 1280, the least the server takes for an"
                                + " interface with IPv6 addresses; raise MTU in " + source),
                e.getMessage());
        assertFalse(Files.exists(etc));
    }

    @Test
    void whatIsNotImportedIsSaidKeyByKeyAndRoutesBeyondTheSubnetsAreTheServersOwn() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                DNS = 1.1.1.1, corp.example
                SaveConfig = true
                FwMark = 0x51820
                PostUp = echo up

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, 192.168.50.0/24, 0.0.0.0/0
                """.formatted(serverKey.toBase64(), clientPublic.toBase64()));

        String report = importer.run(new WgQuickImport.Request(source, null, false));

        String notImported = report.substring(report.indexOf("Not imported:"));
        assertTrue(
                notImported.contains(
                        "  DNS         1.1.1.1, corp.example: wg-quick points this machine's own resolver"),
                report);
        assertTrue(notImported.contains("dns setting in etc/dev.wirehaven.server.sessions.cfg"), report);
        assertTrue(notImported.contains("  SaveConfig  wg-quick writes the running peers back"), report);
        assertTrue(notImported.contains("  FwMark      "), report);
        assertTrue(notImported.contains("  AllowedIPs  0.0.0.0/0 (peer " + clientPublic.toBase64() + ")"), report);
        assertTrue(report.contains("ListenPort  listenPort = 51820 (not in the file"), report);
        assertTrue(
                report.contains("auto, the default: the server routes the peers' AllowedIPs beyond the interface's"
                        + " subnets into the interface itself (routePeerSubnets, the default: 192.168.50.0/24)"),
                report);
        String cfg = Files.readString(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg"));
        assertTrue(cfg.contains("postUp = echo up\n"), cfg);
        assertFalse(cfg.contains("route add"), cfg);
        assertFalse(cfg.contains("routePeerSubnets"), "the default: " + cfg);
    }

    @Test
    void tableOffOrAnotherTableTurnsTheServersRoutesOffAndAnotherTableGetsPostUpRoutes() throws Exception {
        String file = """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                Table = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, 192.168.50.0/24
                """;
        Path off = write("wg0.conf", file.formatted(serverKey.toBase64(), "off", clientPublic.toBase64()));

        String report = importer.run(new WgQuickImport.Request(off, null, false));

        assertTrue(
                report.contains("off: no routes for the peers, as with wg-quick (routePeerSubnets = false)"), report);
        String cfg = Files.readString(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg"));
        assertTrue(cfg.contains("routePeerSubnets = false\n"), cfg);
        assertFalse(cfg.contains("route add"), cfg);

        Path other = write("wg1.conf", file.formatted(serverKey.toBase64(), "1234", clientPublic.toBase64()));

        report = importer.run(new WgQuickImport.Request(other, null, false));

        assertTrue(report.contains("routePeerSubnets = false, so that the server adds none to the main table"), report);
        cfg = Files.readString(etc.resolve("dev.wirehaven.wireguard.interface-wg1.cfg"));
        assertTrue(cfg.contains("routePeerSubnets = false\n"), cfg);
        assertTrue(cfg.contains("postUp = ip -4 route add 192.168.50.0/24 dev %i table 1234\n"), cfg);
    }

    @Test
    void theInterfaceIsNamedAfterTheFileUnlessANameIsGiven() throws Exception {
        Path source = seedServerExample();

        String report = importer.run(new WgQuickImport.Request(source, "wg-office", false));

        assertTrue(
                report.contains("Check:\n  PostDown, PostUp  name wg0, the interface of wg0.conf, which is wg-office"
                        + " now; the commands were kept as written: to act on wg-office, write %i instead\n"),
                report);
        Path cfg = etc.resolve("dev.wirehaven.wireguard.interface-wg-office.cfg");
        assertTrue(Files.readString(cfg).contains("name = wg-office\n"));
        assertTrue(Files.readString(cfg).contains("privateKeyFile = keys/wg-office.key\n"));
        assertTrue(Files.exists(data.resolve("keys/wg-office.key")));

        ImportException e = assertThrows(
                ImportException.class, () -> importer.run(new WgQuickImport.Request(source, "-bad name", false)));
        assertTrue(e.getMessage().startsWith("--name -bad name is not a valid interface name"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nowhere/wg0.conf");

        ImportException e = assertThrows(
                ImportException.class, () -> importer.run(new WgQuickImport.Request(missing, null, false)));

        assertEquals(
                missing + " does not exist; give the path of a wg-quick file such as /etc/wireguard/wg0.conf",
                e.getMessage());
    }

    /** Found by WgQuickImportFuzzTest (its input postup-command-starting-with-bang). */
    @Test
    void aHookCommandThatStartsWithABangIsReadBackAndNotTakenForAComment() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                PostUp = echo up
                PostUp = ! ip link show wg1
                PostUp = echo done
                PreDown = !true
                """.formatted(serverKey.toBase64()));

        importer.run(new WgQuickImport.Request(source, null, false));

        InterfaceSettings settings = InterfaceSettings.from(
                readAsFileInstallDoes(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg")), data);
        assertEquals(List.of("echo up", "! ip link show wg1", "echo done"), settings.postUp());
        assertEquals(List.of("!true"), settings.preDown());
    }

    @Test
    void aHookWithDollarUnderscoreUnderscoreIsRefusedSinceFileInstallWouldReadItAsDollar() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                PostUp = echo $__x
                """.formatted(serverKey.toBase64()));

        ImportException e =
                assertThrows(ImportException.class, () -> importer.run(new WgQuickImport.Request(source, null, false)));

        assertTrue(
                e.getMessage()
                        .startsWith(source + ": PostUp: the command 'echo $__x' contains '$__', which FileInstall"
                                + " reads as '$'"),
                e.getMessage());
        assertFalse(Files.exists(etc), "no configuration");
        assertFalse(Files.exists(data), "no key");
    }

    @Test
    void theBracedFormOfSuchAVariableIsImportedAndReadBack() throws Exception {
        Path source = write("wg0.conf", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24
                PostUp = echo ${__x} $_ $_x
                """.formatted(serverKey.toBase64()));

        importer.run(new WgQuickImport.Request(source, null, false));

        InterfaceSettings settings = InterfaceSettings.from(
                readAsFileInstallDoes(etc.resolve("dev.wirehaven.wireguard.interface-wg0.cfg")), data);
        assertEquals(List.of("echo ${__x} $_ $_x"), settings.postUp());
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /**
     * The properties that Configuration Admin gets from FileInstall for this file: its own reader
     * (shaded into the FileInstall bundle), with a substitution that would show any {@code ${...}}
     * it replaced.
     */
    private static Map<String, Object> readAsFileInstallDoes(Path cfg) throws IOException {
        TypedProperties properties = new TypedProperties((name, key, value) -> "<substituted " + value + ">");
        properties.load(new StringReader(Files.readString(cfg, StandardCharsets.ISO_8859_1)));
        Map<String, Object> map = new HashMap<>(properties);
        map.put("service.pid", "dev.wirehaven.wireguard.interface~test");
        assertTrue(
                Files.readString(cfg, StandardCharsets.ISO_8859_1).chars().allMatch(c -> c < 0x80),
                "FileInstall reads ISO-8859-1: the file is plain ASCII");
        return map;
    }
}
