package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timers of whitepaper §6 on two real devices, with a controlled clock: no timer thread runs, the
 * test moves the clock and fires what is due. Packets still cross on the devices' own threads, so the
 * test waits for them, but every time-based decision is the controlled clock's.
 */
class DeviceTimersTest {

    private final TestClock clock = new TestClock();
    private DevicePair pair;

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(clock, false, DeviceOptions.defaults().withCryptoWorkers(2));
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private void advance(long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    private void establish() throws Exception {
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS));
        settle();
    }

    /** Waits until no datagram has moved for a while, so that what follows starts from a still state. */
    private void settle() {
        Await.quiet(() -> pair.net.delivered() + pair.net.unroutable() + pair.a.indicesInUse() + pair.b.indicesInUse());
    }

    @Test
    void initiationsAreRetransmittedAfterRekeyTimeoutPlusJitterThenAbandoned() throws Exception {
        // B is unreachable: every initiation goes nowhere
        pair.a.configure(tx -> tx.peer(pair.pubB, true).endpoint(new InetSocketAddress(pair.net.newAddressV4(), 9)));
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        Await.until("the first initiation", () -> pair.sent("A", Protocol.MESSAGE_INITIATION) == 1);

        for (int retry = 1; retry <= Protocol.MAX_TIMER_HANDSHAKES + 1; retry++) {
            advance(4999); // REKEY_TIMEOUT not yet over
            pair.a.runDueTimers();
            assertEquals(retry, pair.sent("A", Protocol.MESSAGE_INITIATION), "no retransmission before 5 s");
            advance(335); // past REKEY_TIMEOUT + the largest jitter (333 ms)
            pair.a.runDueTimers();
            assertEquals(retry + 1, pair.sent("A", Protocol.MESSAGE_INITIATION), "retransmission " + retry);
        }
        assertEquals(0, pair.a.drops(DropReason.NO_SESSION));
        assertEquals(1, pair.peerOfA().stagedCount());

        advance(5334);
        pair.a.runDueTimers();
        assertEquals(Protocol.MAX_TIMER_HANDSHAKES + 2, pair.sent("A", Protocol.MESSAGE_INITIATION), "given up");
        assertEquals(1, pair.a.drops(DropReason.NO_SESSION), "the staged packet is dropped");
        assertEquals(0, pair.peerOfA().stagedCount());
        advance(60_000);
        pair.a.runDueTimers();
        assertEquals(Protocol.MAX_TIMER_HANDSHAKES + 2, pair.sent("A", Protocol.MESSAGE_INITIATION));

        assertEquals(1, pair.a.indicesInUse(), "the last initiation's index");
        advance(3 * 180_000 - 60_000);
        pair.a.runDueTimers();
        assertEquals(0, pair.a.indicesInUse(), "key material zeroed 3 x REJECT_AFTER_TIME after giving up");
    }

    @Test
    void aPeerThatReceivedDataAndSentNothingSendsAKeepaliveAfterTenSeconds() throws Exception {
        establish();
        assertEquals(0, pair.sent("B", Protocol.MESSAGE_TRANSPORT));
        advance(9_999);
        pair.b.runDueTimers();
        assertEquals(0, pair.sent("B", Protocol.MESSAGE_TRANSPORT));
        advance(1);
        pair.b.runDueTimers();
        Await.until("A received B's keepalive", () -> pair.a.keepalivesReceived(pair.pubB) == 1);
        assertEquals(1, pair.sent("B", Protocol.MESSAGE_TRANSPORT));
        assertNull(pair.tunA.poll(20, TimeUnit.MILLISECONDS), "a keepalive is never written to the TUN device");
    }

    @Test
    void aSenderWithoutAnswerStartsANewHandshakeAfterKeepalivePlusRekeyTimeout() throws Exception {
        establish();
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION));
        advance(14_999);
        pair.a.runDueTimers();
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION));
        advance(335);
        pair.a.runDueTimers();
        assertEquals(2, pair.sent("A", Protocol.MESSAGE_INITIATION));
    }

    @Test
    void theInitiatorRekeysWhenSendingOnAKeypairOlderThanRekeyAfterTime() throws Exception {
        establish();
        long firstHandshake = pair.a.snapshot().peers().get(0).lastHandshakeEpochNanos();
        advance(120_001);
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 30, 2);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS), "the old keypair still carries data");
        Await.until(
                "a new handshake", () -> pair.a.snapshot().peers().get(0).lastHandshakeEpochNanos() > firstHandshake);
        assertEquals(2, pair.sent("A", Protocol.MESSAGE_INITIATION));
        settle();
        byte[] q = Packets.ipv4("10.0.0.1", "10.0.0.2", 31, 3);
        pair.tunA.inject(q);
        assertArrayEquals(q, pair.tunB.poll(10, TimeUnit.SECONDS), "and the new one too");
    }

    @Test
    void aKeypairOlderThanRejectAfterTimeIsNeverUsedAgain() throws Exception {
        establish();
        int oldIndex = pair.peerOfA().keypairs.current().remoteIndex;
        advance(180_000);
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 30, 2);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS), "sent after a new handshake");
        assertEquals(2, pair.sent("A", Protocol.MESSAGE_INITIATION));
        assertTrue(pair.peerOfA().keypairs.current().remoteIndex != oldIndex);
    }

    @Test
    void allKeyMaterialIsZeroedThreeRejectAfterTimesAfterTheLastSession() throws Exception {
        establish();
        byte[] back = Packets.ipv4("10.0.0.2", "10.0.0.1", 20, 1);
        pair.tunB.inject(back);
        assertArrayEquals(back, pair.tunA.poll(10, TimeUnit.SECONDS));
        settle();
        advance(10_000);
        pair.a.runDueTimers();
        pair.b.runDueTimers();
        settle();
        assertTrue(pair.a.indicesInUse() > 0 && pair.b.indicesInUse() > 0);
        advance(3 * 180_000 - 10_000);
        pair.a.runDueTimers();
        pair.b.runDueTimers();
        settle();
        assertEquals(0, pair.a.indicesInUse());
        assertEquals(0, pair.b.indicesInUse());
        assertNull(pair.peerOfA().keypairs.current());
        assertNull(pair.peerOfB().keypairs.current());
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION), "no handshake was started meanwhile");
    }

    @Test
    void aRemovedPeerLeavesNoWakeUpBehindThatWouldKeepItReachable() throws Exception {
        establish();
        PeerTimers timers = pair.a.peer(pair.pubB).timers;
        assertTrue(pair.a.timerService.pending(timers) > 0, "an established session has timers armed (key zeroing)");

        pair.a.configure(tx -> tx.removePeer(pair.pubB));

        assertEquals(0, pair.a.timerService.pending(timers));
    }

    @Test
    void persistentKeepaliveSendsOneAtOnceAndThenEveryInterval() throws Exception {
        establish();
        // an answer from B, so that A's only timer left is the persistent keepalive (no new-handshake timer)
        byte[] back = Packets.ipv4("10.0.0.2", "10.0.0.1", 20, 1);
        pair.tunB.inject(back);
        assertArrayEquals(back, pair.tunA.poll(10, TimeUnit.SECONDS));
        settle();
        long before = pair.sent("A", Protocol.MESSAGE_TRANSPORT);
        pair.a.configure(tx -> tx.peer(pair.pubB, true).persistentKeepalive(25));
        Await.until("the first keepalive", () -> pair.b.keepalivesReceived(pair.pubA) == 1);
        assertEquals(before + 1, pair.sent("A", Protocol.MESSAGE_TRANSPORT));
        advance(24_999);
        pair.a.runDueTimers();
        assertEquals(before + 1, pair.sent("A", Protocol.MESSAGE_TRANSPORT));
        advance(1);
        pair.a.runDueTimers();
        Await.until("the next keepalive", () -> pair.b.keepalivesReceived(pair.pubA) == 2);
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION), "no other timer sent anything");
    }

    @Test
    void underLoadTheResponderDemandsACookieAndTheRetransmissionCarriesIt() throws Exception {
        pair.b.forceUnderLoad(true);
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1);
        pair.tunA.inject(p);
        Await.until("B answered with a cookie reply", () -> pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY) == 1);
        assertEquals(1, pair.b.drops(DropReason.BAD_MAC2));
        assertEquals(0, pair.sent("B", Protocol.MESSAGE_RESPONSE));
        settle();
        advance(5334);
        pair.a.runDueTimers();
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS), "the retransmission with MAC2 was accepted");
        assertEquals(1, pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY));
        assertEquals(1, pair.b.drops(DropReason.BAD_MAC2));
    }

    @Test
    void underLoadASourceOverItsRateLimitIsRefused() throws Exception {
        pair.b.forceUnderLoad(true);
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        Await.until("cookie", () -> pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY) == 1);
        settle();
        advance(5334);
        pair.a.runDueTimers();
        Await.until("B answered the initiation with MAC2", () -> pair.sent("B", Protocol.MESSAGE_RESPONSE) == 1);
        settle();
        // replays of that initiation carry a valid MAC2 for A's address; the clock stands still, so the
        // source's token bucket does not refill
        byte[] init = pair.lastSent("A", Protocol.MESSAGE_INITIATION);
        for (int i = 0; i < 10; i++) {
            pair.net.inject(pair.endpointA, pair.endpointB, init);
        }
        Await.until(
                "all ten refused",
                () -> pair.b.drops(DropReason.RATE_LIMITED) + pair.b.drops(DropReason.HANDSHAKE_REPLAY) == 10);
        assertTrue(pair.b.drops(DropReason.RATE_LIMITED) >= 5, "the burst allowance is at most five");
        assertEquals(1, pair.sent("B", Protocol.MESSAGE_RESPONSE), "no replay was answered");
    }
}
