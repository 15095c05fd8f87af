package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which of the device's allowed IPs get a kernel route into the interface, and the bookkeeping that
 * removes only the routes it added: over a device whose peers the test sets and a routing table in
 * memory ({@link MemoryRoutes}), with a clock of the test's for the retries.
 */
class PeerRoutesTest {

    private static final Key BRANCH = publicKey();
    private static final Key CLIENT = publicKey();
    private static final Key HUB = publicKey();

    private final Peers device = new Peers();
    private final MemoryRoutes table = new MemoryRoutes();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private LogLines log;

    @BeforeEach
    void setUp() {
        log = new LogLines(PeerRoutes.class);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private static InterfaceSettings settings(Object... entries) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "dev.wirehaven.wireguard.interface~wg0");
        props.put("name", "wg0");
        props.put("addresses", "10.8.0.1/24, fd00:8::1/64");
        for (int i = 0; i < entries.length; i += 2) {
            props.put((String) entries[i], entries[i + 1]);
        }
        return InterfaceSettings.from(props, Path.of("/srv/wirehaven/data"));
    }

    private PeerRoutes routes(InterfaceSettings settings) {
        return new PeerRoutes(settings, device, table, clock::get);
    }

    private void later(java.time.Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void aPeersSubnetIsRoutedButNotTheInterfacesOwnSubnetNorADefaultRoute() {
        device.put(BRANCH, "10.8.0.2/32", "192.168.30.0/24", "fd00:30::/64");
        device.put(CLIENT, "10.8.0.3/32", "fd00:8::3/128");
        device.put(HUB, "10.8.0.4/32", "0.0.0.0/0", "::/0");
        PeerRoutes routes = routes(settings());

        routes.sync();

        assertEquals(
                List.of("192.168.30.0/24 dev wg0 proto 82", "fd00:30::/64 dev wg0 proto 82"),
                table.show(),
                "the branch LAN is routed; addresses inside 10.8.0.0/24 and fd00:8::/64 and the default routes are not");
        assertEquals(Set.of(cidr("192.168.30.0/24"), cidr("fd00:30::/64")), routes.ours());
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg0: route 192.168.30.0/24 dev wg0 proto 82 added (an"
                                + " allowed IP of peer " + BRANCH.toBase64() + ")"),
                log.lines().toString());

        table.clearCalls();
        routes.sync();
        assertEquals(List.of(), table.changes(), "nothing changed, so ip is not run");
    }

    @Test
    void aPrefixLargerThanTheOwnSubnetIsRoutedAndOneBesideItToo() {
        device.put(BRANCH, "10.0.0.0/8", "10.8.1.0/24");

        routes(settings()).sync();

        assertEquals(List.of("10.0.0.0/8 dev wg0 proto 82", "10.8.1.0/24 dev wg0 proto 82"), table.show());
    }

    @Test
    void theRouteOfARemovedPeerIsRemovedAndThatOfAChangedPeerFollowsIt() {
        device.put(BRANCH, "10.8.0.2/32", "192.168.30.0/24");
        device.put(CLIENT, "10.8.0.3/32", "192.168.40.0/24");
        PeerRoutes routes = routes(settings());
        routes.sync();

        device.remove(BRANCH);
        device.put(CLIENT, "10.8.0.3/32", "192.168.41.0/24");
        routes.sync();

        assertEquals(List.of("192.168.41.0/24 dev wg0 proto 82"), table.show());
        assertEquals(Set.of(cidr("192.168.41.0/24")), routes.ours());
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg0: route 192.168.30.0/24 dev wg0 removed (no peer has"
                                + " it any more)"),
                log.lines().toString());
    }

    @Test
    void anOperatorsRouteToTheSamePrefixIsLeftAsItIsAndNeverRemoved() {
        table.operatorRoute("192.168.30.0/24", "eth1");
        device.put(BRANCH, "10.8.0.2/32", "192.168.30.0/24");
        PeerRoutes routes = routes(settings());

        routes.sync();
        routes.sync();

        assertEquals(List.of("192.168.30.0/24 dev eth1 proto 3"), table.show(), "not replaced");
        assertEquals(Set.of(), routes.ours());
        assertEquals(
                1,
                log.lines().stream()
                        .filter(l -> l.startsWith("INFO WireGuard interface wg0: a route to 192.168.30.0/24"))
                        .count(),
                "said once: " + log.lines());
        assertEquals(List.of("add 192.168.30.0/24 dev wg0"), table.changes(), "not tried again at once");

        device.remove(BRANCH);
        routes.sync();

        assertEquals(List.of("192.168.30.0/24 dev eth1 proto 3"), table.show(), "not removed: it is not ours");
        assertEquals(List.of("add 192.168.30.0/24 dev wg0"), table.changes());
    }

    @Test
    void oncetheOperatorsRouteIsGoneTheRouteIsAddedAtTheNextRetry() {
        table.operatorRoute("192.168.30.0/24", "eth1");
        device.put(BRANCH, "192.168.30.0/24");
        PeerRoutes routes = routes(settings());
        routes.sync();

        table.deleteByHand("192.168.30.0/24");
        later(PeerRoutes.RETRY);
        routes.sync();

        assertEquals(List.of("192.168.30.0/24 dev wg0 proto 82"), table.show());
    }

    @Test
    void aFailingIpIsLoggedOncePerPrefixAndTriedAgainLater() {
        table.failFor(
                "192.168.30.0/24",
                "'/usr/sbin/ip -4 route add ...' failed (exit 2): RTNETLINK answers:" + " Operation not permitted");
        device.put(BRANCH, "192.168.30.0/24", "192.168.31.0/24");
        PeerRoutes routes = routes(settings());

        for (int i = 0; i < 5; i++) {
            routes.sync();
            later(PeerRoutes.PERIOD);
        }

        assertEquals(List.of("192.168.31.0/24 dev wg0 proto 82"), table.show(), "the other prefix is routed");
        List<String> warnings =
                log.lines().stream().filter(l -> l.startsWith("WARN ")).toList();
        assertEquals(1, warnings.size(), log.lines().toString());
        assertTrue(
                warnings.get(0)
                        .startsWith("WARN WireGuard interface wg0: cannot route 192.168.30.0/24 (an allowed IP of peer "
                                + BRANCH.toBase64() + ") into the interface: '/usr/sbin/ip -4 route add ...' failed"
                                + " (exit 2): RTNETLINK answers: Operation not permitted; tried again every 30 s."),
                warnings.get(0));
        assertEquals(
                1,
                table.changes().stream()
                        .filter(c -> c.equals("add 192.168.30.0/24 dev wg0"))
                        .count(),
                "not tried every second: " + table.changes());

        table.fixed("192.168.30.0/24");
        later(PeerRoutes.RETRY);
        routes.sync();

        assertEquals(List.of("192.168.31.0/24 dev wg0 proto 82", "192.168.30.0/24 dev wg0 proto 82"), table.show());
    }

    @Test
    void aRouteOfOursThatWentIsAddedAgainAtTheNextCheck() {
        device.put(BRANCH, "192.168.30.0/24");
        PeerRoutes routes = routes(settings());
        routes.sync();

        table.linkGone("wg0"); // ip link set wg0 down, then up: the kernel dropped the interface's routes
        routes.sync();
        assertEquals(List.of(), table.show(), "noticed at the next check only");
        later(PeerRoutes.RETRY);
        routes.sync();

        assertEquals(List.of("192.168.30.0/24 dev wg0 proto 82"), table.show());
    }

    @Test
    void turnedOffNothingIsRoutedAndTurningItOffAtRunTimeRemovesOurRoutesOnly() {
        table.operatorRoute("192.168.50.0/24", "wg0");
        device.put(BRANCH, "192.168.30.0/24", "192.168.50.0/24");
        PeerRoutes off = routes(settings("routePeerSubnets", "false"));
        off.sync();
        assertEquals(List.of("192.168.50.0/24 dev wg0 proto 3"), table.show());
        assertEquals(List.of(), table.changes());

        PeerRoutes on = routes(settings());
        on.sync();
        assertEquals(List.of("192.168.50.0/24 dev wg0 proto 3", "192.168.30.0/24 dev wg0 proto 82"), table.show());

        on.enabled(false);

        assertEquals(List.of("192.168.50.0/24 dev wg0 proto 3"), table.show());
        on.enabled(true);
        assertEquals(List.of("192.168.50.0/24 dev wg0 proto 3", "192.168.30.0/24 dev wg0 proto 82"), table.show());
    }

    @Test
    void closedItForgetsItsRoutesWhichGoWithTheInterfaceAndSyncsNoMore() {
        device.put(BRANCH, "192.168.30.0/24");
        PeerRoutes routes = routes(settings());
        routes.start();

        routes.close();
        table.linkGone("wg0");
        table.clearCalls();
        device.put(CLIENT, "192.168.40.0/24");
        routes.sync();

        assertEquals(Set.of(), routes.ours());
        assertEquals(List.of(), table.changes());
    }

    @Test
    void ipRouteShowIsReadPrefixByPrefix() {
        assertEquals(
                Set.of(cidr("192.168.30.0/24"), cidr("192.168.30.7/32"), cidr("fd00:30::/64")),
                RouteTable.parse("192.168.30.0/24 scope link \n192.168.30.7 scope link\n"
                        + "fd00:30::/64 metric 1024 pref medium\nunreachable 10.9.0.0/16\n\n"));
    }

    // ---- a device of the test's ---------------------------------------------------------------------

    /** A device whose peers the test sets; only {@link #snapshot()} is used by {@link PeerRoutes}. */
    private static final class Peers implements WireGuardDevice {

        private final Map<Key, List<Cidr>> peers = new java.util.LinkedHashMap<>();

        synchronized void put(Key key, String... allowedIps) {
            peers.put(key, Arrays.stream(allowedIps).map(Cidr::parse).toList());
        }

        synchronized void remove(Key key) {
            peers.remove(key);
        }

        @Override
        public String name() {
            return "wg0";
        }

        @Override
        public void configure(ConfigTransaction transaction) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized DeviceSnapshot snapshot() {
            List<PeerSnapshot> list = new ArrayList<>();
            peers.forEach((key, ips) -> list.add(new PeerSnapshot(key, null, null, 0, ips, 0, 0, 0)));
            return new DeviceSnapshot(null, 51820, 0, list, Map.of());
        }

        @Override
        public void close() {}
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text);
    }

    private static Key publicKey() {
        return Keys.publicFrom(Keys.generatePrivate());
    }
}
