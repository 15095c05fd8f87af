package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interface component as Configuration Admin drives it (activate, modified, deactivate) on a
 * real WireGuard device over an in-memory TUN device and network: static peers from the
 * configuration, changes applied in place or by recreating, and the wg-quick hooks.
 */
class WireGuardInterfaceTest {

    private static final String PID = "dev.wirehaven.wireguard.interface~wg0";

    @TempDir
    Path tmp;

    private MemoryHost host;
    private Path data;
    private Path cfgFile;
    private final List<WireGuardDevice> published = new ArrayList<>();
    private final List<WireGuardDevice> withdrawn = new ArrayList<>();
    private final List<WireGuardInterface> started = new ArrayList<>();
    private final Key peer1 = publicKey();
    private final Key peer2 = publicKey();
    private final Key peer3 = publicKey();
    private LogLines log;

    @BeforeEach
    void setUp() {
        host = new MemoryHost(tmp.resolve("run"));
        data = tmp.resolve("data");
        cfgFile = tmp.resolve("etc/dev.wirehaven.wireguard.interface-wg0.cfg");
        log = new LogLines(ConfiguredInterface.class, WireGuardInterface.class);
    }

    @AfterEach
    void tearDown() {
        started.forEach(WireGuardInterface::deactivate);
        log.close();
    }

    private Map<String, Object> config(Object... entries) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", PID);
        props.put(ConfigurationOrigin.FILEINSTALL_FILENAME, cfgFile.toUri().toString());
        props.put("name", "wg0");
        props.put("listenPort", "51820");
        props.put("addresses", "10.8.0.1/24, fd00:8::1/64");
        for (int i = 0; i < entries.length; i += 2) {
            props.put((String) entries[i], entries[i + 1]);
        }
        return props;
    }

    private WireGuardInterface activate(Map<String, Object> properties) {
        WireGuardInterface component = new WireGuardInterface(properties, data, host, (device, settings, key) -> {
            published.add(device);
            return () -> withdrawn.add(device);
        });
        started.add(component);
        return component;
    }

    private WireGuardDevice device() {
        return published.get(published.size() - 1);
    }

    private Map<Key, PeerSnapshot> peersOnDevice() {
        return device().snapshot().peers().stream()
                .collect(Collectors.toMap(PeerSnapshot::publicKey, Function.identity()));
    }

    // ---- static peers ---------------------------------------------------------------------------

    @Test
    void theStaticPeersOfTheConfigurationAreOnTheDeviceAsWritten() throws IOException {
        Key psk = Keys.generatePreshared();
        writeOwnerOnly(data.resolve("keys/branch.psk"), psk.toBase64() + "\n");

        activate(config(
                "peers",
                peer1.toBase64() + " allowed-ips 10.8.0.2/32,fd00:8::2/128 endpoint 192.0.2.7:51820"
                        + " persistent-keepalive 25 preshared-key keys/branch.psk; " + peer2.toBase64()
                        + " allowed-ips 10.8.0.3/32"));

        Map<Key, PeerSnapshot> peers = peersOnDevice();
        assertEquals(2, peers.size());
        PeerSnapshot first = peers.get(peer1);
        assertEquals(List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("fd00:8::2/128")), first.allowedIps());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51820), first.endpoint());
        assertEquals(25, first.persistentKeepaliveSeconds());
        assertEquals(psk, first.presharedKey());
        PeerSnapshot second = peers.get(peer2);
        assertEquals(List.of(Cidr.parse("10.8.0.3/32")), second.allowedIps());
        assertNull(second.endpoint());
        assertNull(second.presharedKey());
        assertEquals(0, second.persistentKeepaliveSeconds());
        assertTrue(
                log.lines().stream()
                        .anyMatch(l -> l.startsWith("INFO WireGuard interface wg0 is up: listen port"
                                + " 51820, addresses 10.8.0.1/24, fd00:8::1/64, MTU 1420, public key ")),
                log.lines().toString());
        assertTrue(
                log.lines().contains("INFO WireGuard interface wg0 has 2 static peers from its configuration"),
                log.lines().toString());
    }

    @Test
    void aChangeOfThePeersAppliesTheDifferenceInPlaceAndLeavesAPeerOfTheSessionFlowAlone() throws ConfigException {
        WireGuardInterface component = activate(config(
                "peers",
                peer1.toBase64() + " allowed-ips 10.8.0.2/32; " + peer2.toBase64() + " allowed-ips 10.8.0.3/32"));
        WireGuardDevice device = device();
        Key session = publicKey();
        device.configure(c -> c.peer(session, false).addAllowedIp(Cidr.parse("10.8.0.100/32")));

        component.modified(config(
                "peers",
                peer2.toBase64() + " allowed-ips 10.8.0.4/32 persistent-keepalive 15; " + peer3.toBase64()
                        + " allowed-ips 10.8.0.5/32"));

        assertEquals(1, host.created().size(), "the interface was not recreated");
        assertEquals(List.of(device), published);
        Map<Key, PeerSnapshot> peers = peersOnDevice();
        assertEquals(
                Map.of(
                        peer2,
                        List.of(Cidr.parse("10.8.0.4/32")),
                        peer3,
                        List.of(Cidr.parse("10.8.0.5/32")),
                        session,
                        List.of(Cidr.parse("10.8.0.100/32"))),
                peers.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().allowedIps())));
        assertEquals(15, peers.get(peer2).persistentKeepaliveSeconds());
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg0 changed in place: static peers: 1 added, 1 changed,"
                                + " 1 removed (configuration " + PID + " (file " + cfgFile + "))"),
                log.lines().toString());

        component.modified(config());

        assertEquals(List.of(session), List.copyOf(peersOnDevice().keySet()), "only the session's peer is left");
    }

    @Test
    void aChangeOfTheListenPortRecreatesTheInterfaceWithItsStaticPeers() throws ConfigException {
        WireGuardInterface component = activate(config("peers", peer1.toBase64() + " allowed-ips 10.8.0.2/32"));
        WireGuardDevice first = device();
        first.configure(c -> c.peer(publicKey(), false).addAllowedIp(Cidr.parse("10.8.0.100/32")));

        component.modified(config("listenPort", "51821", "peers", peer1.toBase64() + " allowed-ips 10.8.0.2/32"));

        assertEquals(2, host.created().size());
        assertTrue(host.created().get(0).isClosed(), "the first interface is gone");
        assertEquals(List.of(first), withdrawn);
        assertEquals(51821, device().snapshot().listenPort());
        assertEquals(
                List.of(peer1),
                List.copyOf(peersOnDevice().keySet()),
                "a new interface has the configured peers; the session flow adds its own again");
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg0 is recreated for its changed listenPort"
                                + " (configuration " + PID + " (file " + cfgFile + "))"),
                log.lines().toString());
    }

    @Test
    void aBadChangeIsNotAppliedAndTheInterfaceKeepsItsSettings() {
        WireGuardInterface component = activate(config("peers", peer1.toBase64() + " allowed-ips 10.8.0.2/32"));

        component.modified(config("listenPort", "51821", "peers", peer1.toBase64() + " allowed-ips 10.8.0.2/33"));

        assertEquals(1, host.created().size());
        assertEquals(51820, device().snapshot().listenPort());
        assertTrue(
                log.lines()
                        .contains("ERROR WireGuard interface wg0 keeps its previous settings, the change was not"
                                + " applied: configuration " + PID + " (file " + cfgFile + "): peers entry 1 (peer "
                                + peer1.toBase64()
                                + "): allowed-ips '10.8.0.2/33' is not an IP prefix; write e.g. 10.8.0.2/32 or"
                                + " fd00:8::2/128"),
                log.lines().toString());
    }

    @Test
    void aStaticPeerWithAPresharedKeyHandshakesAndItsPacketsArrive() throws Exception {
        Key psk = Keys.generatePreshared();
        writeOwnerOnly(data.resolve("keys/client.psk"), psk.toBase64() + "\n");
        Key clientKey = Keys.generatePrivate();
        activate(config(
                "peers",
                Keys.publicFrom(clientKey).toBase64() + " allowed-ips 10.8.0.2/32 preshared-key" + " keys/client.psk"));
        Key serverPublic = Keys.publicFrom(device().snapshot().privateKey());
        MemoryTun clientTun = new MemoryTun("client", 1420);
        try (WireGuardDevice client = WireGuard.createDevice(
                "client",
                clientTun,
                host.network().factoryAt(host.network().newAddressV4()),
                DeviceOptions.defaults())) {
            client.configure(c -> {
                c.privateKey(clientKey);
                c.listenPort(0);
                var server = c.peer(serverPublic, false);
                server.presharedKey(psk);
                server.endpoint(new InetSocketAddress(host.addressV4(), 51820));
                server.addAllowedIp(Cidr.parse("10.8.0.0/24"));
            });
            byte[] packet =
                    Ipv4.packet("10.8.0.2", "10.8.0.1", "through the tunnel".getBytes(StandardCharsets.US_ASCII));

            clientTun.inject(packet);

            // a guard against a hang, not a measurement: the packet either arrives or the handshake failed
            byte[] arrived = host.created().get(0).poll(30, TimeUnit.SECONDS);
            assertNotNull(arrived, "the packet did not arrive: no handshake with the static peer");
            assertArrayEquals(packet, arrived);
        }
    }

    // ---- the wg-quick hooks ---------------------------------------------------------------------

    @Test
    void theHooksRunInWgQuicksOrderWithTheInterfaceNameInPlaceOfPercentI() throws IOException {
        Path order = tmp.resolve("order");
        WireGuardInterface component = activate(config(
                "preUp", "echo preUp %i >> '" + order + "'",
                "postUp", new String[] {"echo postUp %i >> '" + order + "'", "echo second postUp >> '" + order + "'"},
                "preDown", "echo preDown %i >> '" + order + "'",
                "postDown", "echo postDown %i >> '" + order + "'"));
        assertEquals("preUp wg0\npostUp wg0\nsecond postUp\n", Files.readString(order));

        started.remove(component);
        component.deactivate();

        assertEquals("preUp wg0\npostUp wg0\nsecond postUp\npreDown wg0\npostDown wg0\n", Files.readString(order));
        assertTrue(log.lines().contains("INFO WireGuard interface wg0 removed"));
    }

    @Test
    void aFailingPostUpIsAnErrorThatNamesTheFileAndTheKeyAndTheInterfaceStaysUp() {
        Path never = tmp.resolve("never");
        activate(config("postUp", "echo 'no such chain' >&2; exit 4\necho later > '" + never + "'"));

        assertEquals(1, published.size(), "the interface is up and offered to the session flow");
        assertFalse(Files.exists(never), "the command after the failing one did not run");
        assertTrue(
                log.lines()
                        .contains("ERROR WireGuard interface wg0 is up, but its postUp failed (configuration " + PID
                                + " (file " + cfgFile
                                + "): postUp): command 1 of 2 (echo 'no such chain' >&2; exit 4) exited with"
                                + " status 4; 1 later postUp command did not run; fix postUp: saving the changed command runs"
                                + " postDown, then the new postUp, without recreating the interface"),
                log.lines().toString());
    }

    @Test
    void aFailingPreUpKeepsTheInterfaceFromComingUp() {
        InterfaceStartException e =
                assertThrows(InterfaceStartException.class, () -> activate(config("preUp", "exit 3")));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + cfgFile + "): preUp command"
                        + " 1 of 1 (exit 3) exited with status 3; fix the command: as with wg-quick, the interface is created"
                        + " only once every preUp command succeeded",
                e.getMessage());
        assertTrue(host.created().isEmpty());
        assertTrue(published.isEmpty());
    }

    @Test
    void aChangedPostUpIsUndoneWithThePreviousPostDownAndRunAgainWithoutRecreatingTheInterface() throws IOException {
        Path order = tmp.resolve("order");
        WireGuardInterface component = activate(
                config("postUp", "echo A %i >> '" + order + "'", "postDown", "echo undo A >> '" + order + "'"));

        component.modified(
                config("postUp", "echo B %i >> '" + order + "'", "postDown", "echo undo B >> '" + order + "'"));

        assertEquals("A wg0\nundo A\nB wg0\n", Files.readString(order));
        assertEquals(1, host.created().size());
        component.modified(
                config("postUp", "echo B %i >> '" + order + "'", "postDown", "echo undo B2 >> '" + order + "'"));
        assertEquals("A wg0\nundo A\nB wg0\n", Files.readString(order), "a new postDown alone waits for the way down");

        started.remove(component);
        component.deactivate();
        assertEquals("A wg0\nundo A\nB wg0\nundo B2\n", Files.readString(order));
    }

    // ---- forwarding and masquerade ------------------------------------------------------------

    @Test
    void forwardingAndMasqueradeComeAfterThePeersBeforePostUpAndGoAfterPreDown() throws IOException {
        host.addLink("eth0");
        Path order = tmp.resolve("order");
        String wg0Forwarding = tmp.resolve("sys/net/ipv4/conf/wg0/forwarding").toString();
        String show = "echo %s $(cat '" + wg0Forwarding + "') >> '" + order + "'";
        WireGuardInterface component = activate(config(
                "forwarding", "true",
                "masquerade", "eth0",
                "postUp", String.format(show, "postUp"),
                "preDown", String.format(show, "preDown"),
                "postDown", String.format(show, "postDown")));

        assertEquals("postUp 1\n", Files.readString(order));
        assertEquals("1", host.parameter("net/ipv4/conf/eth0/forwarding"));
        assertEquals("1", host.parameter("net/ipv6/conf/all/forwarding"), "IPv6: the global switch in this kernel");
        assertEquals(
                List.of(new RecordingNft.Call(
                        List.of("-f", "-"),
                        NftRuleset.masquerade(
                                "wg0",
                                Masquerade.via("eth0"),
                                List.of(
                                        InterfaceAddress.parse("10.8.0.1/24"),
                                        InterfaceAddress.parse("fd00:8::1/64"))))),
                host.nft().changes());

        started.remove(component);
        component.deactivate();

        assertEquals("postUp 1\npreDown 1\npostDown 0\n", Files.readString(order));
        assertEquals("0", host.parameter("net/ipv4/conf/eth0/forwarding"));
        assertEquals("0", host.parameter("net/ipv6/conf/all/forwarding"));
        assertEquals(NftRuleset.delete("wg0"), host.nft().changes().get(1).stdin());
        assertEquals(2, host.nft().changes().size());
        assertEquals(Map.of(), host.sysctls().held(), "nothing of ours remains");
    }

    @Test
    void turningForwardingAndMasqueradeOffTakesThemOffTheRunningInterface() {
        WireGuardInterface component = activate(config("forwarding", "true", "masquerade", "auto"));
        assertEquals("1", host.parameter("net/ipv4/conf/all/forwarding"));

        component.modified(config("forwarding", "false", "masquerade", ""));

        assertEquals(1, host.created().size(), "the interface was not recreated");
        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals("0", host.parameter("net/ipv4/conf/wg0/forwarding"));
        assertEquals(NftRuleset.delete("wg0"), host.nft().changes().get(1).stdin());
        assertEquals(Map.of(), host.sysctls().held());

        component.modified(config("forwarding", "true"));

        assertEquals("1", host.parameter("net/ipv4/conf/all/forwarding"), "routed, without masquerade");
        assertEquals(2, host.nft().changes().size(), "no table without masquerade");
    }

    @Test
    void aBadMasqueradeChangeIsRefusedAndWhatWasInPlaceStays() {
        host.addLink("eth0");
        WireGuardInterface component = activate(config("forwarding", "true", "masquerade", "eth0"));

        component.modified(config("forwarding", "true", "masquerade", "wg0"));

        assertTrue(
                log.lines()
                        .contains("ERROR WireGuard interface wg0 keeps its previous settings, the change was not"
                                + " applied: configuration " + PID + " (file " + cfgFile + "): masquerade 'wg0' is"
                                + " this WireGuard interface itself; name the interface through which the traffic"
                                + " leaves the server (e.g. eth0), or write auto"),
                log.lines().toString());
        assertEquals(1, host.nft().changes().size());
        assertEquals("1", host.parameter("net/ipv4/conf/eth0/forwarding"));
    }

    @Test
    void aChangeThatNftRefusesIsNotAppliedAndASaveLaterTriesAgain() {
        WireGuardInterface component = activate(config());
        host.nft()
                .failNext("'/usr/sbin/nft -f -' failed (exit 1): Error: Could not process rule: No such file or"
                        + " directory");

        component.modified(config("forwarding", "true", "masquerade", "auto"));

        assertTrue(
                log.lines().stream()
                        .anyMatch(l -> l.startsWith("ERROR WireGuard interface wg0 keeps its previous settings, the"
                                + " change was not applied: configuration " + PID + " (file " + cfgFile
                                + "): masquerade 'auto' could not be put in place: ")),
                log.lines().toString());
        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals(Map.of(), host.sysctls().held());

        component.modified(config("forwarding", "true", "masquerade", "auto"));

        assertEquals("1", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals(2, host.nft().changes().size());
    }

    @Test
    void withoutNftAMasqueradingInterfaceIsNotCreatedAndTheMessageSaysWhatToInstall() {
        host.nft().installed(false);

        InterfaceStartException e = assertThrows(
                InterfaceStartException.class, () -> activate(config("forwarding", "true", "masquerade", "eth0")));

        assertTrue(
                e.getMessage()
                        .startsWith("WireGuard interface not started: configuration " + PID + " (file " + cfgFile
                                + "): masquerade 'eth0' needs nftables' nft program, which is not installed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("install nftables"), e.getMessage());
        assertTrue(host.created().isEmpty());
        assertEquals(Map.of(), host.sysctls().held());
    }

    // ---- routes to the peers' subnets -----------------------------------------------------------

    @Test
    void aStaticPeersSubnetIsRoutedIntoTheInterfaceAtUpAndFollowsAChangeOfThePeersAtOnce() {
        WireGuardInterface component =
                activate(config("peers", peer1.toBase64() + " allowed-ips 10.8.0.2/32,192.168.50.0/24,fd00:50::/64"));

        assertEquals(
                List.of("192.168.50.0/24 dev wg0 proto 82", "fd00:50::/64 dev wg0 proto 82"),
                host.routes().show(),
                "the peer's own address is inside 10.8.0.0/24 and routed already");

        component.modified(config("peers", peer1.toBase64() + " allowed-ips 10.8.0.2/32,192.168.51.0/24"));

        assertEquals(List.of("192.168.51.0/24 dev wg0 proto 82"), host.routes().show());
    }

    @Test
    void aSubnetThatTheSessionFlowAddsThroughTheDeviceIsRoutedWithinASecondOrSoAndUnroutedWhenItGoes()
            throws ConfigException {
        activate(config());
        Key branch = publicKey();

        device().configure(c -> {
            var peer = c.peer(branch, false);
            peer.addAllowedIp(Cidr.parse("10.8.0.7/32"));
            peer.addAllowedIp(Cidr.parse("192.168.30.0/24"));
        });

        awaitRoutes(List.of("192.168.30.0/24 dev wg0 proto 82"));

        device().configure(c -> c.removePeer(branch));

        awaitRoutes(List.of());
    }

    @Test
    void routePeerSubnetsFalseRoutesNothingAndTurnedOffOnTheRunningInterfaceRemovesOurRoutes() {
        host.routes().operatorRoute("192.168.60.0/24", "wg0");
        String peers = peer1.toBase64() + " allowed-ips 192.168.50.0/24,192.168.60.0/24";
        WireGuardInterface component = activate(config("peers", peers));
        assertEquals(
                List.of("192.168.60.0/24 dev wg0 proto 3", "192.168.50.0/24 dev wg0 proto 82"),
                host.routes().show());

        component.modified(config("peers", peers, "routePeerSubnets", "false"));

        assertEquals(1, host.created().size(), "the interface was not recreated");
        assertEquals(List.of("192.168.60.0/24 dev wg0 proto 3"), host.routes().show(), "the operator's route stays");

        component.modified(config("peers", peers, "routePeerSubnets", "true"));

        assertEquals(
                List.of("192.168.60.0/24 dev wg0 proto 3", "192.168.50.0/24 dev wg0 proto 82"),
                host.routes().show());
    }

    @Test
    void turnedOffFromTheStartNoRouteIsAdded() {
        activate(config("peers", peer1.toBase64() + " allowed-ips 192.168.50.0/24", "routePeerSubnets", "false"));

        assertEquals(List.of(), host.routes().show());
        assertEquals(List.of(), host.routes().changes());
    }

    /** Waits for the periodic sync (every second) to make the routes {@code expected}; fails after 10 s. */
    private void awaitRoutes(List<String> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!host.routes().show().equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, host.routes().show(), "not within 10 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Key publicKey() {
        return Keys.publicFrom(Keys.generatePrivate());
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(
                file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
