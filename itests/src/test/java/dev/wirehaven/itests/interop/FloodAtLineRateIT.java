package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A flood of junk and forged handshakes at our port, as fast as one sender can push it, during
 * unthrottled TCP transfers each way between wireguard-go and us:
 *
 * <pre>
 *   namespace A: wireguard-go + LineRateFlood       namespace B: wirehaven-wg (under test)
 *  +-----------------------------------+           +-------------------------------+
 *  | veth0  198.18.0.1/24              |== veth ===| veth0  198.18.0.2/24          |
 *  | wgaN   198.19.0.1/24   :51820 ----|-- tunnel -|-> :51821  wgbN 198.19.0.2/24  |
 *  | LineRateFlood  (any port) --------|-- junk ---|-> :51821                      |
 *  +-----------------------------------+           +-------------------------------+
 * </pre>
 *
 * The flood starts before the first transfer and stops after the second (a stop file), so it covers
 * both whatever their speed. What is asserted: no byte lost or changed (SHA-256 at both ends, the
 * full length each way), the flooder still sending when the transfers ended, and each kind of junk
 * counted under its own drop reason (MALFORMED, BAD_MAC1, UNKNOWN_INDEX, and for the initiations
 * with a valid MAC1 one of BAD_MAC2, RATE_LIMITED, BAD_HANDSHAKE), by our device or for it by the
 * kernel at its sockets: each count is what the flooder sent of that kind, less at most what the
 * kernel dropped before any socket (its receive backlog) or at a full queue (SOCKET_QUEUE_FULL). Nothing is asserted about time or throughput: that is
 * {@code benchmarks/flood-throughput.sh}'s job, on a quiet machine. With
 * {@code -Dwirehaven.interop.impl=wireguard-go} side B is wireguard-go and only the checksums are
 * checked (it has no drop counters). Logs stay in {@code target/interop-logs/FloodAtLineRateIT/}.
 */
class FloodAtLineRateIT {

    private static final long MB = 1024 * 1024;
    private static final long SIZE = 200 * MB;

    private final WgSide.Implementation underTest = WgSide.Implementation.underTest();
    private Topology net;
    private Path logDir;
    private Process flood;

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        Topology.assumeRunnable(underTest);
        logDir = Topology.logDir(getClass(), test.getTestMethod().orElseThrow().getName());
        net = Topology.create(underTest, logDir);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (flood != null) {
            flood.destroyForcibly();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aLineRateFloodDuringUnthrottledTransfersLosesNoByteAndIsCountedAsDropsByReason() throws Exception {
        net.configureA(Topology.B_UNDER4 + ":" + Topology.B_PORT);
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT);
        assertTrue(Topology.ping(net.nsA, Topology.B_TUN4, 5, 20), "no tunnel before the flood\n" + net.logs());
        boolean ours = underTest == WgSide.Implementation.WIREHAVEN;
        Map<String, Long> before = ours ? net.b.dropStats() : Map.of();
        long backlogDropsBefore = backlogDrops();

        Path stop = net.workDir.resolve("stop-flood");
        Path floodLog = logDir.resolve("flood.log");
        flood = Helpers.spawn(
                net.nsA,
                floodLog,
                List.of(Blake2s.class, Blake2sDigest.class), // the MAC1 of the forged initiations
                LineRateFlood.class,
                Topology.B_UNDER4,
                Integer.toString(Topology.B_PORT),
                "900",
                stop.toString(),
                net.b.publicKey);
        Helpers.awaitLine(floodLog, "flooding", flood, 30);

        // ---- A -> B: we decrypt the transfer while the junk arrives on the same socket ----
        String[] toUs = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5011, SIZE, 0, 600, logDir)
                .await(600);
        // ---- B -> A: we encrypt it, and take its ACKs in among the junk ----
        String[] fromUs = Transfer.start(net.nsB, net.nsA, Topology.A_TUN4, 5012, SIZE, 0, 600, logDir)
                .await(600);
        assertTrue(flood.isAlive(), "the flood ran until both transfers had ended:\n" + Files.readString(floodLog));
        Files.createFile(stop);
        assertTrue(flood.waitFor(60, TimeUnit.SECONDS), "the flooder stops when told");
        Map<String, Long> sent = counts(Files.readString(floodLog));

        assertEquals(toUs[0], toUs[1], "checksums A -> B under the flood\n" + net.logs());
        assertTrue(toUs[1].startsWith("bytes=" + SIZE + " "), toUs[1]);
        assertEquals(fromUs[0], fromUs[1], "checksums B -> A under the flood\n" + net.logs());
        assertTrue(fromUs[1].startsWith("bytes=" + SIZE + " "), fromUs[1]);

        Assumptions.assumeTrue(ours, "drop counters are ours (wirehaven-wg --stats)");
        Map<String, Long> after = net.b.dropStats();
        Map<String, Long> delta = new HashMap<>();
        after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
        Files.writeString(
                logDir.resolve("drop-stats.txt"),
                "flood: " + sent + "\nbefore: " + before + "\nafter: " + after + "\ndelta: " + delta + "\n");
        // Every datagram of the flood is counted once, under its kind's reason: the kernel drops junk
        // that cannot be a message for B at B's socket (counted there: MALFORMED, UNKNOWN_INDEX), and
        // handshake-shaped datagrams that the lane cannot take when its queue is full
        // (SOCKET_QUEUE_FULL); the rest B counts itself. Only what the kernel dropped on the way, before
        // any socket (the receive backlog of a CPU, softnet_stat), is nobody's count; the bounds allow it.
        long lostOnTheWay = backlogDrops() - backlogDropsBefore;
        long queueFull = delta.get("drop_socket_queue_full");
        String detail = "\nflood " + sent + "\ndelta " + delta + "\nbacklog drops " + lostOnTheWay;
        assertBetween(
                sent.get("garbage") - lostOnTheWay,
                delta.get("drop_malformed"),
                sent.get("garbage"),
                "garbage counted as MALFORMED" + detail);
        assertBetween(
                sent.get("transport") - lostOnTheWay - queueFull,
                delta.get("drop_unknown_index"),
                sent.get("transport"),
                "forged transport counted as UNKNOWN_INDEX" + detail);
        assertBetween(
                sent.get("bad_mac1_initiations") - lostOnTheWay - queueFull,
                delta.get("drop_bad_mac1"),
                sent.get("bad_mac1_initiations"),
                "initiations with a forged MAC1 counted as BAD_MAC1" + detail);
        // with a valid MAC1: the cookie, the rate limit, decryption, or a full handshake queue (QUEUE_FULL,
        // which the transfers' own packets may also have met)
        long validMac1 = delta.get("drop_bad_mac2") + delta.get("drop_rate_limited") + delta.get("drop_bad_handshake");
        assertBetween(
                sent.get("valid_mac1_initiations") - lostOnTheWay - queueFull - delta.get("drop_queue_full"),
                validMac1,
                sent.get("valid_mac1_initiations"),
                "initiations with a valid MAC1 stopped by the cookie, the rate limit or decryption" + detail);
        assertEquals(
                delta.get("drop_total"),
                delta.entrySet().stream()
                        .filter(e ->
                                !e.getKey().equals("drop_total") && e.getKey().startsWith("drop_"))
                        .mapToLong(Map.Entry::getValue)
                        .sum(),
                "drop_total is the sum of the reasons: " + delta);
    }

    private static void assertBetween(long low, long value, long high, String what) {
        assertTrue(low <= value && value <= high, what + ": " + value + " is not within " + low + ".." + high);
    }

    /**
     * What the kernel dropped from the CPUs' receive backlogs (second column of
     * {@code /proc/net/softnet_stat}, one line per CPU, hexadecimal): datagrams lost on the way, before
     * any socket. The file is the host's; the tests run one at a time.
     */
    private static long backlogDrops() throws IOException {
        long drops = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
            String[] columns = line.trim().split("\\s+");
            drops += Long.parseLong(columns[1], 16);
        }
        return drops;
    }

    /** The flooder's closing line, {@code kind=count ...}, as numbers. */
    private static Map<String, Long> counts(String log) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("garbage=")) {
                for (String field : line.trim().split(" ")) {
                    String[] kv = field.split("=");
                    if (kv[1].matches("\\d+")) {
                        counts.put(kv[0], Long.parseLong(kv[1]));
                    }
                }
            }
        }
        assertTrue(counts.containsKey("total"), "the flooder's summary: " + log);
        return counts;
    }
}
