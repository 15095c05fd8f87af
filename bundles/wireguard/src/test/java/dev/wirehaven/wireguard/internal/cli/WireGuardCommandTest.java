package dev.wirehaven.wireguard.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.internal.uapi.ServerLog;
import dev.wirehaven.wireguard.internal.uapi.UapiServer;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireGuardCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return WireGuardCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                dir,
                null);
    }

    @Test
    void theFormsOfTheXplatformCommandLineParse() {
        assertEquals(new WireGuardCommand.Invocation(false, "wg0"), WireGuardCommand.parse(new String[] {"wg0"}));
        assertEquals(new WireGuardCommand.Invocation(false, "wg0"), WireGuardCommand.parse(new String[] {"-f", "wg0"}));
        assertEquals(
                new WireGuardCommand.Invocation(false, "wg0"),
                WireGuardCommand.parse(new String[] {"--foreground", "wg0"}));
        assertEquals(
                new WireGuardCommand.Invocation(true, "wg0"), WireGuardCommand.parse(new String[] {"--stats", "wg0"}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-f", "--bogus wg0", "wg0 wg1", "-x"})
    void otherCommandLinesAreUsageErrors(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertNull(WireGuardCommand.parse(args));
        assertEquals(WireGuardCommand.EXIT_USAGE, run(args));
        assertTrue(err.toString().startsWith("usage: wirehaven-wg [-f|--foreground] INTERFACE-NAME"), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "wg 0", "wg:0", ".", "..", "abcdefghijklmnop", "tab\tname"})
    void invalidInterfaceNamesAreRefusedBeforeAnythingIsCreated(String name) {
        assertNotNull(InterfaceName.problem(name));
        assertEquals(WireGuardCommand.EXIT_USAGE, run("-f", name));
        assertTrue(err.toString().startsWith("wirehaven-wg: "), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wg0", "a", "abcdefghijklmno", "wg-quick_1.x"})
    void validInterfaceNames(String name) {
        assertNull(InterfaceName.problem(name));
    }

    @Test
    void statsPrintsTheDataPathAndTheDropCountersOfARunningDevice() throws Exception {
        try (WireGuardDevice device = WireGuard.createDevice(
                        "wgs0",
                        new MemoryTun("wgs0", 1420),
                        new MemoryNetwork().factory(),
                        DeviceOptions.defaults().withCryptoWorkers(1));
                UapiServer server = UapiServer.start(device, dir, ServerLog.SILENT)) {
            assertEquals(0, run("--stats", "wgs0"), err.toString());
            String text = out.toString(StandardCharsets.US_ASCII);
            // first how the device moves packets (in memory here: no TUN offloads, one datagram per call)
            assertTrue(text.startsWith("data_path=jdk " + Runtime.version() + "; aead "), text);
            assertTrue(text.contains("; tun plain; one datagram per call\ndrop_malformed=0\n"), text);
            assertTrue(text.endsWith("drop_total=0\nhandshakes_completed=0\nhandshake_latency_avg_ms=0.000\n"), text);
        }
    }

    @Test
    void statsPrintEveryFilteredPeerEvenBeyondOneReadBuffer() throws Exception {
        try (WireGuardDevice device = WireGuard.createDevice(
                        "wgs1",
                        new MemoryTun("wgs1", 1420),
                        new MemoryNetwork().factory(),
                        DeviceOptions.defaults().withCryptoWorkers(1));
                UapiServer server = UapiServer.start(device, dir, ServerLog.SILENT)) {
            PeerFilter nothing = new PeerFilter(List.of(), List.of());
            List<Key> keys = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // about 120 bytes each: past the 8 KiB that one read takes
                keys.add(Keys.publicFrom(Keys.generatePrivate()));
            }
            device.configure(tx -> {
                for (Key k : keys) {
                    tx.ownedPeer(k, "sessions").filter(nothing);
                }
            });
            assertEquals(0, run("--stats", "wgs1"), err.toString());
            String text = out.toString(StandardCharsets.US_ASCII);
            assertTrue(text.contains("drop_policy_denied=0\n"), text);
            assertEquals(200, text.split("filter_open_flows=0\n", -1).length - 1);
            assertTrue(text.endsWith(
                    "filter_peer=" + keys.get(199).toBase64() + "\nfilter_owner=sessions\nfilter_open_flows=0\n"));
        }
    }

    @Test
    void statsPrintTheBlockedSourcePrefixes() throws Exception {
        try (WireGuardDevice device = WireGuard.createDevice(
                        "wgs2",
                        new MemoryTun("wgs2", 1420),
                        new MemoryNetwork().factory(),
                        DeviceOptions.defaults().withCryptoWorkers(1));
                UapiServer server = UapiServer.start(device, dir, ServerLog.SILENT)) {
            device.configure(tx -> tx.blockSources(List.of(Cidr.parse("2001:db8::/32"), Cidr.parse("192.0.2.0/24"))));
            assertEquals(0, run("--stats", "wgs2"), err.toString());
            String text = out.toString(StandardCharsets.US_ASCII);
            assertTrue(
                    text.endsWith("handshake_latency_avg_ms=0.000\n"
                            + "blocked_source=192.0.2.0/24\nblocked_source=2001:db8::/32\n"),
                    text);
        }
    }

    @Test
    void statsOfAnUnknownInterfaceSaysSo() {
        assertEquals(WireGuardCommand.EXIT_SETUP_FAILED, run("--stats", "wgnone"));
        assertTrue(err.toString().contains("wgnone is not served by wirehaven-wg"), err.toString());
    }

    @Test
    void logLevelsFollowWireguardGo() {
        assertEquals(StderrLog.Level.ERROR, StderrLog.Level.of(null));
        assertEquals(StderrLog.Level.ERROR, StderrLog.Level.of("error"));
        assertEquals(StderrLog.Level.ERROR, StderrLog.Level.of("info"));
        assertEquals(StderrLog.Level.VERBOSE, StderrLog.Level.of("verbose"));
        assertEquals(StderrLog.Level.VERBOSE, StderrLog.Level.of("debug"));
        assertEquals(StderrLog.Level.SILENT, StderrLog.Level.of("silent"));
    }

    @Test
    void logLinesHaveWireguardGosShape() {
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        new StderrLog(StderrLog.Level.VERBOSE, "wg0", stream).verbose("Device started");
        new StderrLog(StderrLog.Level.ERROR, "wg0", stream).verbose("hidden at error level");
        new StderrLog(StderrLog.Level.ERROR, "wg0", stream).error("bad thing");
        new StderrLog(StderrLog.Level.SILENT, "wg0", stream).error("hidden when silent");
        String[] lines = err.toString().split("\n");
        assertEquals(2, lines.length, err.toString());
        assertTrue(
                lines[0].matches("DEBUG: \\(wg0\\) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d Device started"),
                lines[0]);
        assertTrue(lines[1].matches("ERROR: \\(wg0\\) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d bad thing"), lines[1]);
    }
}
