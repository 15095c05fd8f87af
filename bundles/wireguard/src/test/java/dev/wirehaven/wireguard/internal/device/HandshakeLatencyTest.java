package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.HandshakeStats;
import dev.wirehaven.wireguard.internal.MessageLayout.Response;
import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handshake count and latency of two real devices over the memory network, on a controlled clock
 * that only the network moves: as B's response leaves B the clock advances by the response's transit,
 * and as the first transport message on B's newest session leaves A by that message's transit. A (the
 * initiator) must then measure the response's transit, B (the responder) both transits together.
 */
class HandshakeLatencyTest {

    private static final long NO_SESSION = -1;

    private final TestClock clock = new TestClock();
    private DevicePair pair;
    private volatile Duration responseTransit = Duration.ZERO;
    private volatile Duration confirmationTransit = Duration.ZERO;
    /** B's index in its last response until A's first transport message to it leaves A. */
    private final AtomicLong unconfirmedSession = new AtomicLong(NO_SESSION);

    private final AtomicInteger initiationsToLose = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(clock, false, DeviceOptions.defaults().withCryptoWorkers(2));
        pair.thenFilter(this::network);
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    /** Runs on the sender's thread before the receiver can see the datagram. */
    private boolean network(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload) {
        boolean fromA =
                from.getAddress().equals(pair.hostA4) || from.getAddress().equals(pair.hostA6);
        int type = intAt(payload, 0);
        if (!fromA && type == Protocol.MESSAGE_RESPONSE) {
            unconfirmedSession.set(Integer.toUnsignedLong(intAt(payload, Response.SENDER_OFFSET)));
            clock.advance(responseTransit);
        } else if (fromA
                && type == Protocol.MESSAGE_TRANSPORT
                && unconfirmedSession.compareAndSet(
                        Integer.toUnsignedLong(intAt(payload, Transport.RECEIVER_OFFSET)), NO_SESSION)) {
            clock.advance(confirmationTransit);
        } else if (fromA && type == Protocol.MESSAGE_INITIATION) {
            return initiationsToLose.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
        }
        return true;
    }

    private static int intAt(ByteBuffer payload, int offset) {
        return payload.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(payload.position() + offset);
    }

    private void sendFromAToB(int id) throws Exception {
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, id);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS));
    }

    private HandshakeStats handshakesOfA() {
        return pair.a.snapshot().handshakes();
    }

    private HandshakeStats handshakesOfB() {
        return pair.b.snapshot().handshakes();
    }

    /** Bucket counts with {@code counts[i]} latencies in bucket {@code buckets[i]}, none elsewhere. */
    private static List<Long> buckets(int... indices) {
        List<Long> counts = new ArrayList<>(Collections.nCopies(12, 0L));
        for (int i : indices) {
            counts.set(i, counts.get(i) + 1);
        }
        return counts;
    }

    private static void assertHandshakes(long completed, long sumNanos, List<Long> buckets, HandshakeStats stats) {
        assertEquals(completed, stats.completed(), "completed: " + stats);
        assertEquals(completed, stats.latencyCount(), "latencies: " + stats);
        assertEquals(sumNanos, stats.latencySumNanos(), "latency sum: " + stats);
        assertEquals(HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS, stats.bucketUpperBoundsNanos());
        assertEquals(buckets, stats.bucketCounts(), "buckets: " + stats);
    }

    @Test
    void oneHandshakeCountsOnceOnEachSideWithTheRoundTripThatTheClockMoved() throws Exception {
        responseTransit = Duration.ofMillis(40);
        confirmationTransit = Duration.ofMillis(60);

        sendFromAToB(1); // B writes it only after the packet confirmed its keypair

        assertHandshakes(1, 40_000_000, buckets(4), handshakesOfA()); // (25 ms, 50 ms]
        assertHandshakes(1, 100_000_000, buckets(5), handshakesOfB()); // (50 ms, 100 ms]: bounds are inclusive
        sendFromAToB(2);
        byte[] back = Packets.ipv4("10.0.0.2", "10.0.0.1", 21, 3);
        pair.tunB.inject(back);
        assertArrayEquals(back, pair.tunA.poll(10, TimeUnit.SECONDS));
        assertEquals(1, handshakesOfA().completed(), "transport data completes no handshake");
        assertEquals(1, handshakesOfB().completed(), "transport data completes no handshake");
    }

    @Test
    void aRekeyCountsAgainOnBothSides() throws Exception {
        responseTransit = Duration.ofMillis(10);
        sendFromAToB(1);
        assertHandshakes(1, 10_000_000, buckets(2), handshakesOfB());

        responseTransit = Duration.ofMillis(300);
        confirmationTransit = Duration.ofMillis(700);
        clock.advance(Duration.ofMillis(Protocol.REKEY_AFTER_TIME / 1_000_000 + 1));
        sendFromAToB(2); // on the old keypair; sending it starts the rekey (REKEY_AFTER_TIME)
        // A's keepalive on the new keypair confirms it to B
        Await.until("B confirmed the new keypair", () -> handshakesOfB().completed() == 2);

        assertEquals(2, pair.sent("A", Protocol.MESSAGE_INITIATION));
        assertHandshakes(2, 310_000_000, buckets(2, 7), handshakesOfA());
        assertHandshakes(2, 1_010_000_000, buckets(2, 8), handshakesOfB()); // 1 s exactly: the 1 s bucket
    }

    @Test
    void aRetriedInitiationIsMeasuredFromTheInitiationThatSucceeded() throws Exception {
        initiationsToLose.set(1);
        responseTransit = Duration.ofMillis(25);
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        // the network's count of lost datagrams: the loss is decided, so the retry cannot take its place
        Await.until("the first initiation, lost", () -> pair.net.filtered() == 1);

        clock.advance(Duration.ofMillis(5_335)); // past REKEY_TIMEOUT and the largest jitter
        pair.a.runDueTimers();
        assertEquals(2, pair.sent("A", Protocol.MESSAGE_INITIATION));
        assertEquals(1, pair.net.filtered(), "only the first was lost");
        Await.until("B confirmed the keypair", () -> handshakesOfB().completed() == 1);

        assertHandshakes(1, 25_000_000, buckets(3), handshakesOfA()); // not the 5.36 s since the first
        assertHandshakes(1, 25_000_000, buckets(3), handshakesOfB());
    }
}
