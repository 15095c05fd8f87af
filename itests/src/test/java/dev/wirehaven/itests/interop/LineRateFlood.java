package dev.wirehaven.itests.interop;

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
 * namespace (only the JDK is needed: BLAKE2s is below). Four kinds of datagram, in turn:
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
                        32,
                        null,
                        concat(
                                "mac1----".getBytes(StandardCharsets.US_ASCII),
                                Base64.getDecoder().decode(args[4])));
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** BLAKE2s (RFC 7693), plain and keyed, as much as MAC1 needs: the JDK has no BLAKE2. */
    static final class Blake2s {
        private static final int[] IV = {
            0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
        };
        private static final byte[][] SIGMA = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
            {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
            {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
            {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
            {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
            {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
            {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
            {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
            {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
            {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}
        };

        private Blake2s() {}

        /** The MAC1 of {@code data[off, off+len)}: keyed BLAKE2s with a 16-byte output, written at {@code out[outOff]}. */
        static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
            byte[] part = new byte[len];
            System.arraycopy(data, off, part, 0, len);
            System.arraycopy(hash(16, key, part), 0, out, outOff, 16);
        }

        /** BLAKE2s with an output of {@code outLen} bytes, keyed when {@code key} is not null. */
        static byte[] hash(int outLen, byte[] key, byte[] message) {
            int[] h = IV.clone();
            int keyLen = key == null ? 0 : key.length;
            h[0] ^= 0x01010000 ^ (keyLen << 8) ^ outLen;
            byte[] input;
            if (keyLen > 0) {
                input = new byte[64 + message.length];
                System.arraycopy(key, 0, input, 0, keyLen);
                System.arraycopy(message, 0, input, 64, message.length);
            } else {
                input = message;
            }
            int blocks = Math.max(1, (input.length + 63) / 64);
            for (int i = 0; i < blocks; i++) {
                byte[] block = new byte[64];
                int n = Math.min(64, input.length - i * 64);
                System.arraycopy(input, i * 64, block, 0, Math.max(0, n));
                boolean last = i == blocks - 1;
                compress(h, block, last ? input.length : (long) (i + 1) * 64, last);
            }
            byte[] out = new byte[outLen];
            ByteBuffer all = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            for (int word : h) {
                all.putInt(word);
            }
            System.arraycopy(all.array(), 0, out, 0, outLen);
            return out;
        }

        private static void compress(int[] h, byte[] block, long counter, boolean last) {
            int[] m = new int[16];
            ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 16; i++) {
                m[i] = b.getInt();
            }
            int[] v = new int[16];
            System.arraycopy(h, 0, v, 0, 8);
            System.arraycopy(IV, 0, v, 8, 8);
            v[12] ^= (int) counter;
            v[13] ^= (int) (counter >>> 32);
            if (last) {
                v[14] = ~v[14];
            }
            for (byte[] s : SIGMA) {
                g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
                g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
                g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
                g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
                g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
                g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
                g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
                g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
            }
            for (int i = 0; i < 8; i++) {
                h[i] ^= v[i] ^ v[i + 8];
            }
        }

        private static void g(int[] v, int a, int b, int c, int d, int x, int y) {
            v[a] += v[b] + x;
            v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
            v[c] += v[d];
            v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
            v[a] += v[b] + y;
            v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
            v[c] += v[d];
            v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
        }
    }
}
