package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock {@code wg} tool configures and reads a device through our socket, exactly as it does
 * wireguard-go. {@code wg} has the socket directory compiled in, so this needs root and writes
 * {@code /var/run/wireguard/<name>.sock} (removed afterwards); it needs no network interface of
 * that name. Skipped where {@code wg} is missing or the user is not root.
 */
class WgToolAgainstUapiTest {

    @TempDir
    Path tmp;

    private final String iface = "whu" + (ProcessHandle.current().pid() % 100000);
    private RecordingDevice device;
    private UapiServer server;
    private String privateKey;
    private String peer1;
    private String peer2;
    private Path privateKeyFile;
    private Path pskFile;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(WgTool.usable(), "needs root and the wg tool");
        device = new RecordingDevice(iface);
        server = UapiServer.start(device, UapiServer.DEFAULT_DIRECTORY, ServerLog.SILENT);
        privateKey = WgTool.ok("genkey").trim();
        peer1 = Key.fromBase64(WgTool.ok("genkey").trim()).toBase64();
        peer2 = Key.fromBase64(WgTool.ok("genkey").trim()).toBase64();
        privateKeyFile = secret("private", privateKey);
        pskFile = secret("psk", WgTool.ok("genpsk").trim());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path secret(String name, String content) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void wgSetThenShowconfRoundTrips() throws Exception {
        WgTool.ok(
                "set",
                iface,
                "private-key",
                privateKeyFile.toString(),
                "listen-port",
                "51820",
                "fwmark",
                "0x1234",
                "peer",
                peer1,
                "preshared-key",
                pskFile.toString(),
                "endpoint",
                "192.0.2.1:51820",
                "persistent-keepalive",
                "25",
                "allowed-ips",
                "10.0.0.0/24,fd00::/64",
                "peer",
                peer2,
                "endpoint",
                "[2001:db8::1]:51821",
                "allowed-ips",
                "10.1.0.2/32");

        String conf = WgTool.ok("showconf", iface);
        assertTrue(conf.contains("PrivateKey = " + privateKey + "\n"), conf);
        assertTrue(conf.contains("ListenPort = 51820\n"), conf);
        assertTrue(conf.contains("FwMark = 0x1234\n"), conf);
        assertTrue(conf.contains("PublicKey = " + peer1 + "\n"), conf);
        assertTrue(conf.contains("PresharedKey = " + Files.readString(pskFile).trim() + "\n"), conf);
        assertTrue(conf.contains("AllowedIPs = 10.0.0.0/24, fd00::/64\n"), conf);
        assertTrue(conf.contains("Endpoint = 192.0.2.1:51820\n"), conf);
        assertTrue(conf.contains("PersistentKeepalive = 25\n"), conf);
        assertTrue(conf.contains("PublicKey = " + peer2 + "\n"), conf);
        assertTrue(conf.contains("Endpoint = [2001:db8::1]:51821\n"), conf);
        assertEquals(1, conf.split("PresharedKey").length - 1, "a peer without preshared key shows none: " + conf);
    }

    @Test
    void wgShowReportsHandshakeTimeAndTransfer() throws Exception {
        WgTool.ok("set", iface, "private-key", privateKeyFile.toString(), "peer", peer1, "allowed-ips", "10.0.0.2/32");
        RecordingDevice.PeerState state = device.peerState(Key.fromBase64(peer1));
        state.handshakeNanos = 1_700_000_000_500_000_000L;
        state.rx = 123456;
        state.tx = 654321;

        String[] peerLine = WgTool.ok("show", iface, "dump").split("\n")[1].split("\t");
        assertEquals(peer1, peerLine[0]);
        assertEquals("(none)", peerLine[1], "no preshared key");
        assertEquals("(none)", peerLine[2], "no endpoint");
        assertEquals("10.0.0.2/32", peerLine[3]);
        assertEquals("1700000000", peerLine[4]);
        assertEquals("123456", peerLine[5]);
        assertEquals("654321", peerLine[6]);
        assertEquals("off", peerLine[7]);
        assertEquals(peer1 + "\t1700000000\n", WgTool.ok("show", iface, "latest-handshakes"));
        assertEquals(peer1 + "\t123456\t654321\n", WgTool.ok("show", iface, "transfer"));
    }

    @Test
    void setconfReplacesPeersAndSyncconfRemovesTheOnesNotListed() throws Exception {
        WgTool.ok("set", iface, "private-key", privateKeyFile.toString(), "peer", peer1, "allowed-ips", "10.0.0.1/32");
        Path conf = tmp.resolve("wg.conf");
        Files.writeString(
                conf,
                "[Interface]\nPrivateKey = " + privateKey + "\nListenPort = 40000\n\n" + "[Peer]\nPublicKey = " + peer2
                        + "\nAllowedIPs = 10.0.0.2/32\n");
        WgTool.ok("setconf", iface, conf.toString());
        assertEquals(peer2 + "\n", WgTool.ok("show", iface, "peers"));

        WgTool.ok("set", iface, "peer", peer1, "allowed-ips", "10.0.0.1/32");
        WgTool.ok("syncconf", iface, conf.toString());
        assertEquals(peer2 + "\n", WgTool.ok("show", iface, "peers"));
        assertEquals(peer2 + "\t10.0.0.2/32\n", WgTool.ok("show", iface, "allowed-ips"));
    }

    @Test
    void removingAPeer() throws Exception {
        WgTool.ok("set", iface, "peer", peer1, "allowed-ips", "10.0.0.1/32", "peer", peer2);
        WgTool.ok("set", iface, "peer", peer1, "remove");
        assertEquals(peer2 + "\n", WgTool.ok("show", iface, "peers"));
    }

    @Test
    void allowedIpsMoveBetweenPeers() throws Exception {
        WgTool.ok("set", iface, "peer", peer1, "allowed-ips", "10.0.0.0/24");
        WgTool.ok("set", iface, "peer", peer2, "allowed-ips", "10.0.0.0/24");
        String ips = WgTool.ok("show", iface, "allowed-ips");
        assertTrue(ips.contains(peer1 + "\t(none)\n"), ips);
        assertTrue(ips.contains(peer2 + "\t10.0.0.0/24\n"), ips);
    }

    @Test
    void aPortInUseReachesTheUserAsAddressAlreadyInUse() throws Exception {
        device.portsInUse.add(40001);
        WgTool.Result r = WgTool.run("set", iface, "listen-port", "40001");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("Address already in use"), r.stderr());
    }

    @Test
    void setconfThenShowconfOnTheRealDeviceGivesTheSameConfiguration() throws Exception {
        String name = iface + "r";
        MemoryNetwork network = new MemoryNetwork();
        try (WireGuardDevice real = WireGuard.createDevice(
                        name,
                        new MemoryTun(name, 1420),
                        network.factory(),
                        DeviceOptions.defaults().withCryptoWorkers(1));
                UapiServer realServer = UapiServer.start(real, UapiServer.DEFAULT_DIRECTORY, ServerLog.SILENT)) {
            String conf = "[Interface]\n"
                    + "ListenPort = 41234\n"
                    + "FwMark = 0xca6c\n"
                    + "PrivateKey = " + privateKey + "\n"
                    + "\n"
                    + "[Peer]\n"
                    + "PublicKey = " + peer1 + "\n"
                    + "PresharedKey = " + Files.readString(pskFile).trim() + "\n"
                    + "AllowedIPs = 10.0.0.0/24, fd00::/64\n"
                    + "Endpoint = 192.0.2.1:51820\n"
                    + "PersistentKeepalive = 25\n"
                    + "\n"
                    + "[Peer]\n"
                    + "PublicKey = " + peer2 + "\n"
                    + "AllowedIPs = 10.1.0.0/16\n"
                    + "Endpoint = [2001:db8::1]:51821\n";
            Path file = tmp.resolve("real.conf");
            Files.writeString(file, conf);
            WgTool.ok("setconf", name, file.toString());
            assertEquals(conf, WgTool.ok("showconf", name));
        }
    }

    @Test
    void theInterfaceIsListedAndDisappearsWithTheServer() throws Exception {
        assertTrue(WgTool.ok("show", "interfaces").contains(iface), "listed while served");
        server.close();
        server = null;
        assertFalse(WgTool.ok("show", "interfaces").contains(iface), "gone once closed");
        WgTool.Result r = WgTool.run("show", iface);
        assertTrue(r.exitCode() != 0, "wg show of a gone interface fails");
    }
}
