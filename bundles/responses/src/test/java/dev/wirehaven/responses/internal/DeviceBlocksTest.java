package dev.wirehaven.responses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.server.support.testing.LogCapture;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceConfigurator;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeviceBlocksTest {

    /**
     * A WireGuard device that records the block lists it is configured with and does nothing else.
     * Proxies rather than implementations, so that the SDK's interfaces can grow without this fake.
     */
    private static final class RecordingDevice {
        final List<List<Cidr>> blockLists = new CopyOnWriteArrayList<>();
        final WireGuardDevice device;

        RecordingDevice(String name, boolean refuses) {
            DeviceConfigurator configurator = (DeviceConfigurator) Proxy.newProxyInstance(
                    DeviceConfigurator.class.getClassLoader(),
                    new Class<?>[] {DeviceConfigurator.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("blockSources")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        if (refuses) {
                            throw new IllegalStateException("the device is closed");
                        }
                        @SuppressWarnings("unchecked")
                        List<Cidr> sources = (List<Cidr>) args[0];
                        blockLists.add(List.copyOf(sources));
                        return null;
                    });
            device = (WireGuardDevice) Proxy.newProxyInstance(
                    WireGuardDevice.class.getClassLoader(),
                    new Class<?>[] {WireGuardDevice.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "name":
                                return name;
                            case "configure":
                                ((WireGuardDevice.ConfigTransaction) args[0]).apply(configurator);
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            case "toString":
                                return name;
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        List<Cidr> last() {
            return blockLists.get(blockLists.size() - 1);
        }
    }

    @Test
    void aDeviceThatAppearsGetsTheBlocksInForce() {
        DeviceBlocks blocks = new DeviceBlocks();
        blocks.blockOnly(List.of(IpPrefix.parse("192.0.2.7/32"), IpPrefix.parse("2001:db8::/32")));
        RecordingDevice wg0 = new RecordingDevice("wg0", false);

        blocks.add(wg0.device);

        assertEquals(List.of(Cidr.parse("192.0.2.7/32"), Cidr.parse("2001:db8::/32")), wg0.last());
    }

    @Test
    void everyDeviceGetsEachNewList() {
        DeviceBlocks blocks = new DeviceBlocks();
        RecordingDevice wg0 = new RecordingDevice("wg0", false);
        RecordingDevice wg1 = new RecordingDevice("wg1", false);
        blocks.add(wg0.device);
        blocks.add(wg1.device);

        blocks.blockOnly(List.of(IpPrefix.parse("198.51.100.0/24")));
        blocks.remove(wg1.device);
        blocks.blockOnly(List.of());

        assertEquals(List.of(List.of(), List.of(Cidr.parse("198.51.100.0/24")), List.of()), wg0.blockLists);
        assertEquals(List.of(List.of(), List.of(Cidr.parse("198.51.100.0/24"))), wg1.blockLists, "gone: not told");
    }

    @Test
    void aDeviceThatRefusesIsLoggedAndTheOthersStillGetTheList() throws ConfigException {
        DeviceBlocks blocks = new DeviceBlocks();
        RecordingDevice broken = new RecordingDevice("wg-broken", true);
        RecordingDevice wg0 = new RecordingDevice("wg0", false);
        try (LogCapture log = new LogCapture(DeviceBlocks.class)) {
            blocks.add(broken.device);
            blocks.add(wg0.device);

            blocks.blockOnly(List.of(IpPrefix.parse("192.0.2.7/32")));

            assertEquals(List.of(Cidr.parse("192.0.2.7/32")), wg0.last());
            assertTrue(
                    log.lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("wg-broken")),
                    log.lines().toString());
        }
    }

    @Test
    void theLedgerGivesTheDevicesItsBlocksAsTheyStartAndEnd() throws Exception {
        try (Fixture f = new Fixture()) {
            DeviceBlocks blocks = new DeviceBlocks();
            RecordingDevice wg0 = new RecordingDevice("wg0", false);
            blocks.add(wg0.device);
            ResponseLedger ledger = new ResponseLedger(
                    ResponseSettings.defaults(),
                    new ResponseStore(f.db.dataSource()),
                    new ResponseReports(f.events),
                    new SessionLayer(() -> null, () -> null),
                    blocks::blockOnly,
                    f.clock);

            ledger.apply(Fixture.block("192.0.2.7", Duration.ofMinutes(5)));
            assertEquals(List.of(Cidr.parse("192.0.2.7/32")), wg0.last());

            f.clock.advance(Duration.ofMinutes(5));
            ledger.tick();
            assertEquals(List.of(), wg0.last());
        }
    }
}
