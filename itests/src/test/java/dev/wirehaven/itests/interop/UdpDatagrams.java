package dev.wirehaven.itests.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * A known number of UDP datagrams of one size, from one socket (so one flow), as its own program
 * inside a namespace: for a test that counts what a tunnel carried. The receiver prints
 * {@code listening}, then {@code received=<n> bytes=<payload bytes>} once it has them all or the
 * timeout passed; the sender prints {@code sent=<n>}.
 *
 * <pre>
 * UdpDatagrams receive &lt;listen-address&gt; &lt;port&gt; &lt;count&gt; &lt;timeout-seconds&gt;
 * UdpDatagrams send &lt;address&gt; &lt;port&gt; &lt;count&gt; &lt;payload-bytes&gt; &lt;datagrams-per-second&gt;
 * </pre>
 */
public final class UdpDatagrams {

    private UdpDatagrams() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "receive" ->
                receive(
                        InetAddress.getByName(args[1]),
                        Integer.parseInt(args[2]),
                        Long.parseLong(args[3]),
                        Integer.parseInt(args[4]));
            case "send" ->
                send(
                        InetAddress.getByName(args[1]),
                        Integer.parseInt(args[2]),
                        Long.parseLong(args[3]),
                        Integer.parseInt(args[4]),
                        Long.parseLong(args[5]));
            default -> throw new IllegalArgumentException("receive or send");
        }
    }

    private static void receive(InetAddress address, int port, long count, int timeoutSeconds) throws Exception {
        long received = 0;
        long bytes = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, port))) {
            System.out.println("listening");
            System.out.flush();
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            byte[] buf = new byte[65536];
            while (received < count) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                received++;
                bytes += p.getLength();
            }
        }
        System.out.println("received=" + received + " bytes=" + bytes);
    }

    private static void send(InetAddress address, int port, long count, int size, long perSecond) throws Exception {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        long start = System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket()) {
            for (long sent = 0; sent < count; sent++) {
                // paced, so that no queue on the way drops one and the count stays exact
                long wait = start + sent * 1_000_000_000L / perSecond - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
                socket.send(new DatagramPacket(payload, size, address, port));
            }
        }
        System.out.println("sent=" + count);
    }
}
