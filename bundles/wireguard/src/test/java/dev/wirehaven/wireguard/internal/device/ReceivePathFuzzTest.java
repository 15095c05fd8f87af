package dev.wirehaven.wireguard.internal.device;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Hostile datagrams through device B's real receive path (UDP reader, dispatch, handshake worker,
 * crypto workers, in-order delivery, filter, TUN), with its real peer A configured and a live session
 * between them ({@link FuzzedPeers} draws the topology).
 *
 * <p>An input is read as:
 *
 * <pre>
 *   flags (1 byte: bit 0 = B behaves as under load, so handshakes need a cookie)
 *   frame*  (at most {@value #MAX_FRAMES}): header (1 byte), length (2 bytes, big-endian, modulo
 *           {@value #MAX_DATAGRAM} + 1, cut to what is left), body
 *     header bits 0-1: source: 0 and 3 A's endpoint, 1 a stranger's IPv4 address, 2 a stranger's IPv6 one
 *     header bit 2:    0 the body is the datagram; 1 the body is plaintext that A's current session seals
 *     header bit 3:    (sealed only) use an old counter, (header &gt;&gt;&gt; 4) + 1 before the next one
 * </pre>
 *
 * Per input the test checks that B accounts for every datagram it received: it is either accepted
 * (an inner packet on B's TUN, a keepalive counted, or a response sent to an initiation) or counted
 * under a {@link dev.wirehaven.wireguard.DropReason}, exactly once; that no exception leaves B's
 * threads (every one is still alive); and, on the first input and every {@value #FORWARD_CHECK_EVERY}
 * after it, that B still forwards a real packet from A.
 *
 * <p>Regression mode (every build) runs the inputs under
 * {@code src/test/resources/dev/wirehaven/wireguard/internal/device/ReceivePathFuzzTestInputs/}; the
 * README's "Fuzzing" section has the command that fuzzes, and how the seeds there were made
 * ({@link ReceivePathFuzzSeeds}).
 */
class ReceivePathFuzzTest {

    static final int MAX_FRAMES = 16;
    /** Above the MTU and the device's buffers, so that oversized datagrams are in reach. */
    static final int MAX_DATAGRAM = 4095;

    static final int SEALED = 0x04;
    static final int OLD_COUNTER = 0x08;
    /** Often enough to catch a wedged device within a second of fuzzing, rare enough to cost nothing. */
    private static final int FORWARD_CHECK_EVERY = 1024;
    /** How long a datagram may take to be accounted for; far above the microseconds it takes. */
    private static final long ACCOUNTING_DEADLINE_NANOS = Duration.ofSeconds(10).toNanos();

    private static FuzzedPeers peers;
    private static long inputs;
    private static long datagrams;

    @AfterAll
    static void closeDevices() {
        // the figure that the README's goal (10 million datagrams) is measured by
        System.out.println("ReceivePathFuzzTest: " + inputs + " inputs, " + datagrams + " datagrams delivered to B");
        if (peers != null) {
            peers.close();
            peers = null;
        }
    }

    @FuzzTest(maxDuration = "15m")
    void everyHostileDatagramIsAcceptedOrCountedAndTheDeviceKeepsForwarding(byte[] input) throws Exception {
        if (peers == null) {
            peers = new FuzzedPeers();
        }
        FuzzedPeers f = peers;
        f.refreshSession();
        if (inputs++ % FORWARD_CHECK_EVERY == 0) {
            f.assertForwards((int) inputs);
        }
        // time moves a little per input, as it would between datagrams (handshake flood interval, timestamps)
        f.clock.advance(Duration.ofMillis(1));
        f.drainTunB();
        long before = f.dropsAtB() + f.acceptedByB();
        f.b.forceUnderLoad(input.length > 0 && (input[0] & 1) != 0);
        int delivered = 0;
        try {
            int pos = 1;
            for (int frames = 0; frames < MAX_FRAMES && pos + 3 <= input.length; frames++) {
                int header = input[pos] & 0xff;
                int len = (((input[pos + 1] & 0xff) << 8) | (input[pos + 2] & 0xff)) % (MAX_DATAGRAM + 1);
                pos += 3;
                len = Math.min(len, input.length - pos);
                byte[] datagram = (header & SEALED) != 0
                        ? f.sealAsA(input, pos, len, (header & OLD_COUNTER) != 0 ? (header >>> 4) + 1 : 0)
                        : Arrays.copyOfRange(input, pos, pos + len);
                pos += len;
                // the network drops what does not fit B's receive queue, like UDP; only what B got counts
                if (f.net.inject(source(f, header), f.endpointB, datagram)) {
                    delivered++;
                }
            }
            datagrams += delivered;
            awaitAccounted(f, before + delivered, delivered);
        } finally {
            f.b.forceUnderLoad(false);
        }
        Thread dead = f.deadThreadOfB();
        if (dead != null) {
            throw new AssertionError("B's thread " + dead.getName() + " died");
        }
    }

    private static InetSocketAddress source(FuzzedPeers f, int header) {
        return switch (header & 0x03) {
            case 1 -> f.strangerV4;
            case 2 -> f.strangerV6;
            default -> f.endpointA;
        };
    }

    /** Waits until B has accepted or dropped (and counted) every datagram it received, and no more. */
    private static void awaitAccounted(FuzzedPeers f, long expected, int delivered) {
        long deadline = System.nanoTime() + ACCOUNTING_DEADLINE_NANOS;
        long seen;
        while ((seen = f.dropsAtB() + f.acceptedByB()) < expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError((expected - seen) + " of " + delivered
                        + " datagrams were neither accepted nor counted as dropped; drops at B "
                        + f.b.snapshot().drops());
            }
            Thread.yield(); // two cores, and B's threads need them
        }
        if (seen > expected) {
            throw new AssertionError((seen - expected) + " more accepted or dropped datagrams than the "
                    + delivered + " that B received: something was counted twice; drops at B "
                    + f.b.snapshot().drops());
        }
    }
}
