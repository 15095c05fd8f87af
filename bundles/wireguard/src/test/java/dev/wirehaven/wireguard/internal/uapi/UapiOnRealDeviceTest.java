package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real devices over an in-memory TUN and network, configured only through their UAPI sockets
 * in the text of the protocol: the configuration reaches the data plane, and {@code get} reports
 * what the data plane did.
 *
 * <pre>
 *   MemoryTun a  --  device "wga" (10.0.0.1)  ==MemoryNetwork==  device "wgb" (10.0.0.2)  --  MemoryTun b
 *                    UAPI dir/wga.sock                           UAPI dir/wgb.sock
 * </pre>
 */
class UapiOnRealDeviceTest {

    @TempDir
    Path dir;

    private final MemoryNetwork network = new MemoryNetwork();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private final InetAddress hostA = network.newAddressV4();
    private final InetAddress hostB = network.newAddressV4();
    private final Key privateA = Keys.generatePrivate();
    private final Key privateB = Keys.generatePrivate();
    private final Key publicA = Keys.publicFrom(privateA);
    private final Key publicB = Keys.publicFrom(privateB);

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private MemoryTun tun(String name) {
        return new MemoryTun(name, 1420);
    }

    private WireGuardDevice device(String name, MemoryTun tun, InetAddress host) throws IOException {
        WireGuardDevice d = WireGuard.createDevice(
                name, tun, network.factoryAt(host), DeviceOptions.defaults().withCryptoWorkers(1));
        resources.add(d);
        resources.add(UapiServer.start(d, dir, ServerLog.SILENT));
        return d;
    }

    private String uapi(String iface, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve(iface + ".sock")))) {
            return UapiServerTest.exchange(c, request);
        }
    }

    /** The key=value lines of a get reply, keyed by "section/key" (section: "" or the peer's public key hex). */
    private Map<String, String> get(String iface) throws IOException {
        String reply = uapi(iface, "get=1\n\n");
        assertTrue(reply.endsWith("errno=0\n\n"), reply);
        Map<String, String> values = new LinkedHashMap<>();
        String section = "";
        for (String line : reply.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("public_key")) {
                section = value;
            }
            values.merge(section + "/" + key, value, (a, b) -> a + "," + b);
        }
        return values;
    }

    private void configurePair() throws IOException {
        assertEquals(
                "errno=0\n\n",
                uapi(
                        "wga",
                        "set=1\nprivate_key=" + privateA.toHex() + "\nlisten_port=51820\n"
                                + "replace_peers=true\npublic_key=" + publicB.toHex() + "\nendpoint="
                                + hostB.getHostAddress() + ":51821\n"
                                + "replace_allowed_ips=true\nallowed_ip=10.0.0.2/32\nallowed_ip=fd00::2/128\n\n"));
        assertEquals(
                "errno=0\n\n",
                uapi(
                        "wgb",
                        "set=1\nprivate_key=" + privateB.toHex() + "\nlisten_port=51821\n" + "public_key="
                                + publicA.toHex() + "\nprotocol_version=1\nallowed_ip=10.0.0.1/32\n\n"));
    }

    @Test
    void aPacketFlowsBetweenDevicesConfiguredThroughTheSocket() throws Exception {
        MemoryTun tunA = tun("wga");
        MemoryTun tunB = tun("wgb");
        device("wga", tunA, hostA);
        device("wgb", tunB, hostB);
        configurePair();

        byte[] packet = Ipv4Packets.udp("10.0.0.1", "10.0.0.2", 1000, 2000, "through the tunnel");
        tunA.inject(packet);
        byte[] received = tunB.poll(10, TimeUnit.SECONDS);
        assertNotNull(received, "the packet should arrive once the handshake completes");
        assertArrayEquals(packet, received);

        String peerB = publicB.toHex() + "/";
        // a counter is bumped after the datagram is handed on, which can be after the other side has
        // already delivered it: wait for the counters rather than race them
        long minTx = 148 + 32 + packet.length;
        Map<String, String> a = awaitCounter("wga", peerB + "tx_bytes", minTx);
        assertEquals(privateA.toHex(), a.get("/private_key"));
        assertEquals("51820", a.get("/listen_port"));
        assertEquals(hostB.getHostAddress() + ":51821", a.get(peerB + "endpoint"));
        assertEquals("10.0.0.2/32,fd00::2/128", a.get(peerB + "allowed_ip"));
        assertEquals("0".repeat(64), a.get(peerB + "preshared_key"));
        assertEquals("1", a.get(peerB + "protocol_version"));
        long handshake = Long.parseLong(a.get(peerB + "last_handshake_time_sec"));
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(now - handshake) < 60, "handshake time " + handshake + " is Unix time near " + now);
        assertTrue(Long.parseLong(a.get(peerB + "tx_bytes")) >= minTx, a.toString());
        assertTrue(Long.parseLong(a.get(peerB + "rx_bytes")) >= 92, a.toString());

        Map<String, String> b = awaitCounter("wgb", publicA.toHex() + "/rx_bytes", minTx);
        assertEquals(hostA.getHostAddress() + ":51820", b.get(publicA.toHex() + "/endpoint"), "B learned A's endpoint");
        assertTrue(Long.parseLong(b.get(publicA.toHex() + "/rx_bytes")) >= minTx, b.toString());
    }

    private Map<String, String> awaitCounter(String iface, String key, long min) throws Exception {
        Map<String, String> state = get(iface);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Long.parseLong(state.get(key)) < min && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
            state = get(iface);
        }
        return state;
    }

    @Test
    void getOutputFedBackAsSetReproducesTheConfiguration() throws Exception {
        device("wga", tun("wga"), hostA);
        device("wgb", tun("wgb"), hostB);
        assertEquals(
                "errno=0\n\n",
                uapi(
                        "wga",
                        "set=1\nprivate_key=" + privateA.toHex() + "\nlisten_port=40000\nfwmark=51820\n"
                                + "public_key=" + publicB.toHex() + "\npreshared_key="
                                + Keys.generatePreshared().toHex()
                                + "\nendpoint=[2001:db8::7]:51821\npersistent_keepalive_interval=25\nallowed_ip=10.0.0.0/8\nallowed_ip=fd00::/64\n"
                                + "public_key="
                                + Keys.publicFrom(Keys.generatePrivate()).toHex() + "\nallowed_ip=192.168.7.0/24\n\n"));
        String original = uapi("wga", "get=1\n\n");

        // replay the configuration lines (not the counters, which are read-only) into the other device
        StringBuilder set = new StringBuilder("set=1\nreplace_peers=true\n");
        for (String line : original.split("\n")) {
            if (!line.isEmpty()
                    && !line.startsWith("errno=")
                    && !line.startsWith("last_handshake")
                    && !line.startsWith("tx_bytes")
                    && !line.startsWith("rx_bytes")) {
                set.append(line.startsWith("listen_port") ? "listen_port=40001" : line)
                        .append('\n');
            }
        }
        assertEquals("errno=0\n\n", uapi("wgb", set.append('\n').toString()));
        assertEquals(original.replace("listen_port=40000", "listen_port=40001"), uapi("wgb", "get=1\n\n"));
    }

    @Test
    void aPortInUseOnTheRealDeviceIsEaddrinuse() throws Exception {
        device("wga", tun("wga"), hostA);
        device("wgb", tun("wgb"), hostA);
        assertEquals("errno=0\n\n", uapi("wga", "set=1\nlisten_port=51820\n\n"));
        assertEquals("errno=-98\n\n", uapi("wgb", "set=1\nlisten_port=51820\n\n"));
    }

    @Test
    void removingAndReplacingPeersAndAllowedIps() throws Exception {
        device("wga", tun("wga"), hostA);
        Key c = Keys.publicFrom(Keys.generatePrivate());
        assertEquals(
                "errno=0\n\n",
                uapi(
                        "wga",
                        "set=1\npublic_key=" + publicB.toHex() + "\nallowed_ip=10.0.0.0/24\n" + "public_key="
                                + c.toHex() + "\nallowed_ip=10.0.0.0/24\nallowed_ip=10.9.0.0/16\n\n"));
        Map<String, String> v = get("wga");
        assertEquals(null, v.get(publicB.toHex() + "/allowed_ip"), "10.0.0.0/24 moved to the second peer");
        assertEquals("10.0.0.0/24,10.9.0.0/16", v.get(c.toHex() + "/allowed_ip"));

        assertEquals(
                "errno=0\n\n",
                uapi(
                        "wga",
                        "set=1\npublic_key=" + c.toHex() + "\nallowed_ip=-10.0.0.0/24\n" + "public_key="
                                + publicB.toHex() + "\nremove=true\n\n"));
        v = get("wga");
        assertEquals("10.9.0.0/16", v.get(c.toHex() + "/allowed_ip"));
        assertEquals(null, v.get(publicB.toHex() + "/public_key"));

        assertEquals("errno=0\n\n", uapi("wga", "set=1\npublic_key=" + publicB.toHex() + "\nupdate_only=true\n\n"));
        assertEquals(null, get("wga").get(publicB.toHex() + "/public_key"), "update_only does not create");
        assertEquals("errno=0\n\n", uapi("wga", "set=1\nreplace_peers=true\n\n"));
        assertEquals(
                Map.of(),
                get("wga").entrySet().stream()
                        .filter(e -> e.getKey().endsWith("/public_key"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
