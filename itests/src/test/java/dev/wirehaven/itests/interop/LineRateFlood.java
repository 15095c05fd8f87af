package dev.wirehaven.itests.interop;

import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Junk at a WireGuard port as fast as one sending thread can push it, as its own program inside a
 * namespace, with the device's BLAKE2s ({@code wirehaven-wireguard} and BouncyCastle on its class path) for
 * the MAC1 that anyone can compute from a public key. Four kinds of datagram, in turn:
 *
 * <ol>
 *   <li>garbage: random length (1 to 1500) and content, never a well-formed message: MALFORMED;
 *   <li>forged initiations with a random MAC1 (type 1, 148 bytes): BAD_MAC1;
 *   <li>forged initiations with a <em>valid</em> MAC1, computed from the responder's public key as
 *       anyone can: they pass the cheap check, and only the cookie (MAC2 under load), the rate
 *       limit or the failed decryption stops them (BAD_MAC2, RATE_LIMITED, BAD_HANDSHAKE); this is
 *       the flood that costs a responder Diffie-Hellman work;
 *   <li>forged transport messages (type 4) for random receiver indices: UNKNOWN_INDEX.
 * </ol>
 *
 * The datagrams are made once (a pool of 4096) and sent round and round, so that the sender spends
 * its time in {@code send}, not in making randomness. It stops after {@code seconds}, or as soon as
 * {@code stop-file} exists (a test stops it when its transfer ends). Prints {@code flooding} when it
 * starts and, at the end, the count of each kind and the rate.
 *
 * <pre>
 * LineRateFlood &lt;address&gt; &lt;port&gt; &lt;seconds&gt; &lt;stop-file&gt; &lt;responder-public-key-base64 | -&gt;
 * </pre>
 */
public final class LineRateFlood {

    private static final int POOL = 4096;
    private static final int INITIATION = 148;
    private static final int MAC1_OFFSET = 116;

    private LineRateFlood() {}

    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long seconds = Long.parseLong(args[2]);
        Path stop = Path.of(args[3]);
        byte[] mac1Key = args[4].equals("-")
                ? null
                : Blake2s.hash(
                        "mac1----".getBytes(StandardCharsets.US_ASCII),
                        Base64.getDecoder().decode(args[4]));
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer[] pool = new ByteBuffer[POOL];
        int[] kinds = new int[POOL];
        for (int i = 0; i < POOL; i++) {
            int kind = i % 4 == 2 && mac1Key == null ? 1 : i % 4;
            kinds[i] = kind;
            pool[i] = ByteBuffer.wrap(datagram(kind, random, mac1Key));
        }
        long[] sent = new long[4];
        long unreachable = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            System.out.println("flooding");
            System.out.flush();
            outer:
            for (long n = 0; ; n++) {
                int i = (int) (n & (POOL - 1));
                if (i == 0 && (System.nanoTime() > end || Files.exists(stop))) {
                    break outer;
                }
                ByteBuffer b = pool[i];
                b.clear();
                try {
                    channel.write(b);
                    sent[kinds[i]]++;
                } catch (PortUnreachableException e) {
                    // an ICMP error from an earlier datagram: the next write goes on
                    unreachable++;
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = sent[0] + sent[1] + sent[2] + sent[3];
        System.out.printf(
                "garbage=%d bad_mac1_initiations=%d valid_mac1_initiations=%d transport=%d total=%d seconds=%.1f"
                        + " pps=%.0f unreachable=%d%n",
                sent[0], sent[1], sent[2], sent[3], total, elapsed, total / elapsed, unreachable);
    }

    private static byte[] datagram(int kind, SplittableRandom random, byte[] mac1Key) {
        switch (kind) {
            case 0 -> {
                byte[] b = random(random, 1 + random.nextInt(1500));
                // never a message type of the protocol: types 1 to 4 with a little-endian zero reserved part
                b[0] = (byte) (5 + random.nextInt(250));
                return b;
            }
            case 1, 2 -> {
                byte[] b = random(random, INITIATION);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
                if (kind == 2) {
                    Blake2s.mac(mac1Key, b, 0, MAC1_OFFSET, b, MAC1_OFFSET);
                    // no cookie: MAC2 is zero, as in a first initiation
                    java.util.Arrays.fill(b, MAC1_OFFSET + 16, INITIATION, (byte) 0);
                } else {
                    b[MAC1_OFFSET] ^= 0x5a; // random anyway; the chance it verifies is 2^-128
                }
                return b;
            }
            default -> {
                byte[] b = random(random, 32 + random.nextInt(1500 - 32));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 4);
                return b;
            }
        }
    }

    private static byte[] random(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }
}
