package dev.wirehaven.itests.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.SplittableRandom;

/**
 * Sends junk at a WireGuard port, bounded in count and time, as its own program inside a
 * namespace: alternately random datagrams of random length (mostly unknown message types) and
 * forged handshake initiations (type 1, the right length of 148 bytes, random content, so that
 * their MAC1 cannot verify). Prints {@code garbage=<n> initiations=<n>}.
 *
 * <pre>
 * UdpFlood &lt;address&gt; &lt;port&gt; &lt;seconds&gt; &lt;max-packets&gt; &lt;packets-per-second&gt;
 * </pre>
 */
public final class UdpFlood {

    private UdpFlood() {}

    public static void main(String[] args) throws Exception {
        InetAddress target = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long maxPackets = Long.parseLong(args[3]);
        long perSecond = Long.parseLong(args[4]);
        SplittableRandom random = new SplittableRandom(42);
        long garbage = 0;
        long initiations = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        byte[] buf = new byte[1500];
        try (DatagramSocket socket = new DatagramSocket()) {
            for (long sent = 0; sent < maxPackets && System.nanoTime() < end; sent++) {
                // pace to perSecond so that the flood is heavy but bounded
                long due = start + sent * 1_000_000_000L / perSecond;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                int length;
                if ((sent & 1) == 0) {
                    length = 1 + random.nextInt(buf.length);
                    fill(random, buf, 0, length);
                    if (length == 148 && buf[0] == 1) {
                        buf[0] = 9;
                    }
                    garbage++;
                } else {
                    length = 148;
                    fill(random, buf, 0, length);
                    buf[0] = 1;
                    buf[1] = 0;
                    buf[2] = 0;
                    buf[3] = 0;
                    initiations++;
                }
                socket.send(new DatagramPacket(buf, length, target, port));
            }
        }
        System.out.println("garbage=" + garbage + " initiations=" + initiations);
    }

    private static void fill(SplittableRandom random, byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            buf[i] = (byte) random.nextInt(256);
        }
    }
}
