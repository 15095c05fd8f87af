package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table of rate-limited sources through the real receive path, on a controlled clock:
 *
 * <pre>
 *   A --- initiation ---> B (under load)  --- cookie reply ---> A
 *   A --- initiation with MAC2 (A's cookie) ---> B --- response ---> A
 *   replays of that initiation, MAC1 and MAC2 valid for A's address ---> B: over A's rate limit
 * </pre>
 */
class RateLimitedSourcesTest {

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

    private void settle() {
        Await.quiet(() -> pair.net.delivered() + pair.net.unroutable() + pair.a.indicesInUse() + pair.b.indicesInUse());
    }

    /** Under load, A earns a cookie and completes a handshake whose initiation carries a valid MAC2. */
    private byte[] initiationWithValidMac2() throws Exception {
        pair.b.forceUnderLoad(true);
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        Await.until("cookie", () -> pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY) == 1);
        settle();
        clock.advance(Duration.ofMillis(5334));
        pair.a.runDueTimers();
        Await.until("B answered the initiation with MAC2", () -> pair.sent("B", Protocol.MESSAGE_RESPONSE) == 1);
        settle();
        return pair.lastSent("A", Protocol.MESSAGE_INITIATION);
    }

    private void replay(byte[] init, int times) {
        for (int i = 0; i < times; i++) {
            while (!pair.net.inject(pair.endpointA, pair.endpointB, init)) {
                Thread.onSpinWait();
            }
        }
    }

    private long handled() {
        return pair.b.drops(DropReason.RATE_LIMITED) + pair.b.drops(DropReason.HANDSHAKE_REPLAY);
    }

    @Test
    void aNewDeviceHasNoRateLimitedSource() {
        assertEquals(Map.of(), pair.b.snapshot().rateLimitedSources());
    }

    @Test
    void theMessagesThatTheRateLimitRefusedAreCountedUnderTheirSource() throws Exception {
        byte[] init = initiationWithValidMac2();
        replay(init, 10); // the clock stands still: the source's bucket does not refill
        Await.until("all ten handled", () -> handled() == 10);
        long refused = pair.b.drops(DropReason.RATE_LIMITED);
        assertTrue(refused >= 5, "the burst allowance is at most five");
        assertEquals(Map.of(pair.hostA4, refused), pair.b.snapshot().rateLimitedSources());

        replay(init, 3);
        Await.until("three more handled", () -> handled() == 13);
        assertEquals(refused + 3, pair.b.drops(DropReason.RATE_LIMITED), "still over the limit");
        assertEquals(Map.of(pair.hostA4, refused + 3), pair.b.snapshot().rateLimitedSources());
    }

    @Test
    void messagesWithinTheLimitAndCookieDemandsAreNotCounted() throws Exception {
        pair.b.forceUnderLoad(true);
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        Await.until("cookie", () -> pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY) == 1);
        settle();
        assertEquals(1, pair.b.drops(DropReason.BAD_MAC2));
        assertEquals(Map.of(), pair.b.snapshot().rateLimitedSources(), "no cookie yet: not a proven source");
    }
}
