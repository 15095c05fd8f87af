package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import dev.wirehaven.wireguard.internal.noise.Noise;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a flood of forged initiations may cost device B, on a controlled clock:
 *
 * <pre>
 *   strangers (spoofed sources) --- forged initiations, MAC1 valid or random ---> B :port
 *   A (B's configured peer) stays idle
 * </pre>
 *
 * MAC1 is checked before the handshake queue; cookie replies and the Curve25519 work of the
 * handshake worker each have a global budget ({@link HandshakeWorker}).
 */
class HandshakeBudgetsTest {

    private final TestClock clock = new TestClock();
    private final Random random = new Random(42);
    private DevicePair pair;
    private int nextPort = 1000;

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(clock, false, DeviceOptions.defaults().withCryptoWorkers(1));
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    /** An initiation of random bytes whose MAC1 is right (anyone can compute it from B's public key) or random. */
    private byte[] forgedInitiation(boolean validMac1) {
        byte[] msg = new byte[Protocol.INITIATION_SIZE];
        random.nextBytes(msg);
        Noise.putIntLE(msg, 0, Protocol.MESSAGE_INITIATION);
        int mac1 = msg.length - 2 * Protocol.MAC_SIZE;
        if (validMac1) {
            byte[] key = Noise.labelKey(Protocol.LABEL_MAC1, pair.pubB.toBytes());
            Blake2s.mac(key, msg, 0, mac1, msg, mac1);
        }
        return msg;
    }

    /** Delivers {@code n} forged initiations to B, waiting while B's receive queue is full. */
    private void flood(int n, boolean validMac1) {
        for (int i = 0; i < n; i++) {
            deliver(forgedInitiation(validMac1));
        }
    }

    /** Delivers {@code n} forged initiations with a valid MAC1 and no cookie (MAC2 zero, §5.4.4). */
    private void floodWithoutCookies(int n) {
        for (int i = 0; i < n; i++) {
            deliver(withoutCookie(forgedInitiation(true)));
        }
    }

    private static byte[] withoutCookie(byte[] msg) {
        java.util.Arrays.fill(msg, msg.length - Protocol.MAC_SIZE, msg.length, (byte) 0);
        return msg;
    }

    private void deliver(byte[] msg) {
        InetSocketAddress stranger = new InetSocketAddress(pair.hostA4, nextPort++);
        while (!pair.net.inject(stranger, pair.endpointB, msg)) {
            Thread.onSpinWait();
        }
    }

    private long counted(DropReason... reasons) {
        long n = 0;
        for (DropReason r : reasons) {
            n += pair.b.drops(r);
        }
        return n;
    }

    // ---- cookie replies: at most COOKIE_REPLY_BURST at once, then COOKIE_REPLIES_PER_SECOND ----

    @Test
    void underLoadCookieRepliesStayWithinTheirGlobalBudget() {
        pair.b.forceUnderLoad(true);
        int over = 20;
        flood(HandshakeWorker.COOKIE_REPLY_BURST + over, true);
        Await.until(
                "every initiation counted",
                () -> counted(DropReason.BAD_MAC2, DropReason.RATE_LIMITED)
                        == HandshakeWorker.COOKIE_REPLY_BURST + over);
        assertEquals(HandshakeWorker.COOKIE_REPLY_BURST, pair.b.drops(DropReason.BAD_MAC2), "answered");
        assertEquals(over, pair.b.drops(DropReason.RATE_LIMITED), "over the budget: dropped, not answered");
        Await.until(
                "the replies sent",
                () -> pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY) == HandshakeWorker.COOKIE_REPLY_BURST);

        // a second later the budget has refilled: a legitimate retry is answered again
        clock.advance(Duration.ofSeconds(1));
        flood(1, true);
        Await.until(
                "answered after a second",
                () -> pair.b.drops(DropReason.BAD_MAC2) == HandshakeWorker.COOKIE_REPLY_BURST + 1);
        assertEquals(over, pair.b.drops(DropReason.RATE_LIMITED));
    }

    @Test
    void pastTheReplyBudgetTheReaderDropsInitiationsWithoutACookieBeforeTheQueue() throws Exception {
        pair.close();
        pair = new DevicePair(
                clock, false, DeviceOptions.defaults().withCryptoWorkers(1).withHandshakeQueueCapacity(8));
        pair.b.forceUnderLoad(true);
        for (int i = 1; i <= HandshakeWorker.COOKIE_REPLY_BURST; i++) { // one at a time: the queue holds 8
            floodWithoutCookies(1);
            int replies = i;
            Await.until("reply " + i, () -> pair.b.drops(DropReason.BAD_MAC2) == replies);
        }

        byte[] noCookie = withoutCookie(forgedInitiation(true));
        HandshakeWorker worker = pair.b.handshakes;
        assertTrue(worker.onlyRateLimits(noCookie, noCookie.length));
        byte[] withCookie = noCookie.clone();
        withCookie[withCookie.length - 1] = 1; // some MAC2: the worker must check it
        assertFalse(worker.onlyRateLimits(withCookie, withCookie.length));

        int n = 2000; // 250 times the queue: any that were queued would overflow it
        floodWithoutCookies(n);
        Await.until("every initiation counted", () -> counted(DropReason.RATE_LIMITED, DropReason.QUEUE_FULL) == n);
        assertEquals(n, pair.b.drops(DropReason.RATE_LIMITED));
        assertEquals(0, pair.b.drops(DropReason.QUEUE_FULL));

        clock.advance(Duration.ofSeconds(1)); // the budget refilled: answered again
        assertFalse(worker.onlyRateLimits(noCookie, noCookie.length));
        pair.b.forceUnderLoad(false);
        clock.advance(Duration.ofNanos(Protocol.UNDER_LOAD_AFTER_TIME + 1));
        assertFalse(worker.onlyRateLimits(noCookie, noCookie.length));
    }

    // ---- Curve25519 work: past HANDSHAKE_BURST messages at once the device is under load ----

    @Test
    void curve25519WorkPastItsBudgetPutsTheDeviceUnderLoad() {
        int over = 10; // far fewer than the queue's 1/8, which alone would not trigger
        flood(HandshakeWorker.HANDSHAKE_BURST + over, true);
        Await.until(
                "every initiation counted",
                () -> counted(DropReason.BAD_HANDSHAKE, DropReason.BAD_MAC2) == HandshakeWorker.HANDSHAKE_BURST + over);
        assertEquals(
                HandshakeWorker.HANDSHAKE_BURST, pair.b.drops(DropReason.BAD_HANDSHAKE), "decrypted, unknown peer");
        assertEquals(over, pair.b.drops(DropReason.BAD_MAC2), "cookie demanded once the budget was spent");
        // under load for UNDER_LOAD_AFTER_TIME, then the budget has refilled
        clock.advance(Duration.ofNanos(Protocol.UNDER_LOAD_AFTER_TIME + 1));
        flood(1, true);
        Await.until(
                "back to the Curve25519 stage",
                () -> pair.b.drops(DropReason.BAD_HANDSHAKE) == HandshakeWorker.HANDSHAKE_BURST + 1);
    }

    // ---- MAC1 before the queue: garbage takes no queue slot and never puts the device under load ----

    @Test
    void initiationsWithABadMac1NeverReachTheHandshakeQueue() throws Exception {
        pair.close();
        pair = new DevicePair(
                clock, false, DeviceOptions.defaults().withCryptoWorkers(1).withHandshakeQueueCapacity(8));
        int n = 2000;
        flood(n, false);
        Await.until("every initiation counted", () -> counted(DropReason.BAD_MAC1, DropReason.QUEUE_FULL) == n);
        assertEquals(n, pair.b.drops(DropReason.BAD_MAC1));
        assertEquals(0, pair.b.drops(DropReason.QUEUE_FULL));
        flood(1, true); // not under load: a valid MAC1 goes on to the Curve25519 stage, no cookie demanded
        Await.until("the valid one", () -> pair.b.drops(DropReason.BAD_HANDSHAKE) == 1);
        assertEquals(0, pair.b.drops(DropReason.BAD_MAC2));
    }
}
