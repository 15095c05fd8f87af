package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.HandshakeStats;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UapiGetTest {

    private static final Key PRIVATE = Key.fromHex("e8".repeat(32));
    private static final Key PEER_A = Key.fromHex("a1".repeat(32));
    private static final Key PEER_B = Key.fromHex("b2".repeat(32));
    private static final Key PSK = Key.fromHex("c3".repeat(32));

    @Test
    void aConfiguredDevicePrintsLikeWireguardGo() throws Exception {
        PeerSnapshot a = new PeerSnapshot(
                PEER_A,
                PSK,
                new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51820),
                25,
                List.of(Cidr.parse("10.0.0.2/32"), Cidr.parse("fd00::2/128")),
                1_700_000_000_123_456_789L,
                1000,
                2000);
        PeerSnapshot b = new PeerSnapshot(
                PEER_B, null, new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 1), 0, List.of(), 0, 0, 0);
        DeviceSnapshot snapshot = new DeviceSnapshot(PRIVATE, 51820, 0x8000_0001, List.of(a, b), Map.of());

        assertEquals(
                "private_key=" + "e8".repeat(32) + "\n"
                        + "listen_port=51820\n"
                        + "fwmark=2147483649\n"
                        + "public_key=" + "a1".repeat(32) + "\n"
                        + "preshared_key=" + "c3".repeat(32) + "\n"
                        + "protocol_version=1\n"
                        + "endpoint=192.0.2.7:51820\n"
                        + "last_handshake_time_sec=1700000000\n"
                        + "last_handshake_time_nsec=123456789\n"
                        + "tx_bytes=2000\n"
                        + "rx_bytes=1000\n"
                        + "persistent_keepalive_interval=25\n"
                        + "allowed_ip=10.0.0.2/32\n"
                        + "allowed_ip=fd00::2/128\n"
                        + "public_key=" + "b2".repeat(32) + "\n"
                        + "preshared_key=" + "0".repeat(64) + "\n"
                        + "protocol_version=1\n"
                        + "endpoint=[2001:db8::9]:1\n"
                        + "last_handshake_time_sec=0\n"
                        + "last_handshake_time_nsec=0\n"
                        + "tx_bytes=0\n"
                        + "rx_bytes=0\n"
                        + "persistent_keepalive_interval=0\n",
                UapiGet.format(snapshot));
    }

    @Test
    void anUnconfiguredDevicePrintsNothing() {
        assertEquals("", UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(), Map.of())));
    }

    @Test
    void aPeerWithoutEndpointHasNoEndpointLine() {
        PeerSnapshot p = new PeerSnapshot(PEER_A, null, null, 0, List.of(), 0, 0, 0);
        String text = UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(p), Map.of()));
        assertEquals(false, text.contains("endpoint="));
    }

    @Test
    void dropStatsListEveryReasonAndTheTotal() {
        String text = DropStats.format(
                new DeviceSnapshot(null, 0, 0, List.of(), Map.of(DropReason.BAD_MAC1, 7L, DropReason.MALFORMED, 3L)));
        String[] lines = text.split("\n", -1);
        assertEquals(DropReason.values().length + 5, lines.length);
        assertEquals("drop_malformed=3", lines[0]);
        assertEquals("drop_bad_mac1=7", lines[1]);
        assertEquals("drop_total=10", lines[DropReason.values().length]);
        assertEquals("handshakes_completed=0", lines[DropReason.values().length + 1]);
        assertEquals("handshake_latency_avg_ms=0.000", lines[DropReason.values().length + 2]);
        assertEquals("", lines[lines.length - 1]);
        assertEquals("", lines[lines.length - 2]);
    }

    @Test
    void dropStatsReportTheHandshakesCompletedAndTheirMeanLatencyInMilliseconds() {
        List<Long> counts = new ArrayList<>(Collections.nCopies(12, 0L));
        counts.set(0, 2L);
        counts.set(4, 1L);
        HandshakeStats handshakes = new HandshakeStats(
                3, 3, 400_000 + 600_000 + 41_000_123, HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS, counts);
        String text =
                DropStats.format(new DeviceSnapshot(null, 0, 0, List.of(), Map.of(), List.of(), Map.of(), handshakes));
        String tail = text.substring(text.indexOf("drop_total=0\n"));
        assertEquals("drop_total=0\nhandshakes_completed=3\nhandshake_latency_avg_ms=14.000\n\n", tail);
    }

    @Test
    void handshakeStatisticsAddNoKeyToTheGetReply() {
        List<Long> counts = new ArrayList<>(Collections.nCopies(12, 0L));
        counts.set(3, 1L);
        HandshakeStats one =
                new HandshakeStats(1, 1, 20_000_000, HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS, counts);
        assertEquals(
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(), Map.of())),
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(), Map.of(), List.of(), Map.of(), one)));
    }

    private static PeerSnapshot filtered(Key key, String owner, int flows, Map<String, Long> denied) {
        return new PeerSnapshot(
                key, null, null, 0, List.of(), 0, 0, 0, owner, 10, 20, true, flows, denied, 0, 0, Map.of(), 0);
    }

    @Test
    void aFilteredPeerAddsNoKeyToTheGetReply() {
        PeerSnapshot plain = new PeerSnapshot(PEER_A, null, null, 0, List.of(), 0, 0, 0);
        PeerSnapshot withFilter = filtered(PEER_A, "sessions", 3, Map.of("lan", 2L));
        assertEquals(
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(plain), Map.of())),
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(withFilter), Map.of())));
    }

    @Test
    void dropStatsListTheFlowsAndDenialsOfEachFilteredPeer() {
        PeerSnapshot unfiltered = new PeerSnapshot(PEER_B, null, null, 0, List.of(), 0, 0, 0);
        PeerSnapshot a = filtered(PEER_A, "sessions", 3, Map.of("lan", 2L, "default-deny", 1L, "odd\nname", 4L));
        PeerSnapshot b = filtered(PEER_B, null, 0, Map.of());
        String text = DropStats.format(
                new DeviceSnapshot(null, 0, 0, List.of(a, unfiltered, b), Map.of(DropReason.POLICY_DENIED, 7L)));
        String tail = text.substring(text.indexOf("drop_total=7\n"));
        assertEquals(
                "drop_total=7\n"
                        + "handshakes_completed=0\n"
                        + "handshake_latency_avg_ms=0.000\n"
                        + "filter_peer=" + PEER_A.toBase64() + "\n"
                        + "filter_owner=sessions\n"
                        + "filter_open_flows=3\n"
                        + "filter_denied=1 default-deny\n"
                        + "filter_denied=2 lan\n"
                        + "filter_denied=4 odd?name\n"
                        + "filter_peer=" + PEER_B.toBase64() + "\n"
                        + "filter_open_flows=0\n"
                        + "\n",
                tail);
        assertEquals(true, text.contains("drop_policy_denied=7\n"));
    }

    @Test
    void dropStatsListBlockedAndRateLimitedSourcesAndTheDeniedDestinationEstimate() throws Exception {
        PeerSnapshot scanned = new PeerSnapshot(
                PEER_A,
                null,
                null,
                0,
                List.of(),
                0,
                0,
                0,
                null,
                0,
                0,
                true,
                0,
                Map.of("default-deny", 40L),
                37,
                0,
                Map.of(),
                0);
        PeerSnapshot quiet = filtered(PEER_B, null, 0, Map.of());
        String text = DropStats.format(new DeviceSnapshot(
                null,
                0,
                0,
                List.of(scanned, quiet),
                Map.of(),
                List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")),
                Map.of(
                        InetAddress.getByName("198.51.100.7"), 3L,
                        InetAddress.getByName("2001:db8:1:2::"), 12L)));
        String tail = text.substring(text.indexOf("drop_total=0\n"));
        assertEquals(
                "drop_total=0\n"
                        + "handshakes_completed=0\n"
                        + "handshake_latency_avg_ms=0.000\n"
                        + "blocked_source=192.0.2.0/24\n"
                        + "blocked_source=2001:db8::/32\n"
                        + "rate_limited_source=12 2001:db8:1:2::\n"
                        + "rate_limited_source=3 198.51.100.7\n"
                        + "filter_peer=" + PEER_A.toBase64() + "\n"
                        + "filter_open_flows=0\n"
                        + "filter_denied_destinations=37\n"
                        + "filter_denied=40 default-deny\n"
                        + "filter_peer=" + PEER_B.toBase64() + "\n"
                        + "filter_open_flows=0\n"
                        + "\n",
                tail);
        assertTrue(text.contains("drop_source_blocked=0\n"), text);
    }

    @Test
    void blockedAndRateLimitedSourcesAddNoKeyToTheGetReply() throws Exception {
        PeerSnapshot plain = new PeerSnapshot(PEER_A, null, null, 0, List.of(), 0, 0, 0);
        PeerSnapshot estimated = new PeerSnapshot(
                PEER_A, null, null, 0, List.of(), 0, 0, 0, null, 0, 0, true, 0, Map.of(), 9, 0, Map.of(), 0);
        assertEquals(
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(plain), Map.of())),
                UapiGet.format(new DeviceSnapshot(
                        null,
                        0,
                        0,
                        List.of(estimated),
                        Map.of(DropReason.SOURCE_BLOCKED, 2L),
                        List.of(Cidr.parse("192.0.2.0/24")),
                        Map.of(InetAddress.getByName("198.51.100.7"), 3L))));
    }

    @Test
    void dropStatsNameEachPeerThatSentFromASourceItWasNotGiven() {
        PeerSnapshot filteredSpoofer = new PeerSnapshot(
                PEER_A, null, null, 0, List.of(), 0, 0, 0, "sessions", 0, 0, true, 2, Map.of(), 0, 5, Map.of(), 0);
        PeerSnapshot unfilteredSpoofer = new PeerSnapshot(
                PEER_B, null, null, 0, List.of(), 0, 0, 0, "sessions", 0, 0, false, 0, Map.of(), 0, 3, Map.of(), 0);
        PeerSnapshot honest = new PeerSnapshot(PSK, null, null, 0, List.of(), 0, 0, 0);
        String text = DropStats.format(new DeviceSnapshot(
                null,
                0,
                0,
                List.of(filteredSpoofer, honest, unfilteredSpoofer),
                Map.of(DropReason.DISALLOWED_SOURCE, 8L)));
        String tail = text.substring(text.indexOf("drop_total=8\n"));
        assertEquals(
                "drop_total=8\n"
                        + "handshakes_completed=0\n"
                        + "handshake_latency_avg_ms=0.000\n"
                        + "filter_peer=" + PEER_A.toBase64() + "\n"
                        + "filter_owner=sessions\n"
                        + "filter_open_flows=2\n"
                        + "disallowed_source=5\n"
                        + "peer=" + PEER_B.toBase64() + "\n"
                        + "owner=sessions\n"
                        + "disallowed_source=3\n"
                        + "\n",
                tail);
    }

    @Test
    void aCountOfDisallowedSourcesAddsNoKeyToTheGetReply() {
        PeerSnapshot plain = new PeerSnapshot(PEER_A, null, null, 0, List.of(), 0, 0, 0);
        PeerSnapshot spoofer = new PeerSnapshot(
                PEER_A, null, null, 0, List.of(), 0, 0, 0, null, 0, 0, false, 0, Map.of(), 0, 4, Map.of(), 0);
        assertEquals(
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(plain), Map.of())),
                UapiGet.format(new DeviceSnapshot(null, 0, 0, List.of(spoofer), Map.of())));
    }
}
