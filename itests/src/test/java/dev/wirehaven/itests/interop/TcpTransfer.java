package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A bulk TCP transfer with a checksum at both ends, run as its own program inside a namespace
 * (only the JDK is needed there, no nc or socat flavour). Both ends print
 * {@code bytes=<n> sha256=<hex>}; the test compares the two lines.
 *
 * <pre>
 * TcpTransfer receive &lt;listen-address&gt; &lt;port&gt; &lt;timeout-seconds&gt;
 * TcpTransfer send &lt;address&gt; &lt;port&gt; &lt;bytes&gt; &lt;seed&gt; &lt;timeout-seconds&gt; [bytes-per-second]
 * </pre>
 * A sender with a rate keeps the transfer running for a known time, so that a test can change
 * something (an address) while it runs.
 */
public final class TcpTransfer {

    private TcpTransfer() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "receive" ->
                receive(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "send" ->
                send(
                        InetAddress.getByName(args[1]),
                        Integer.parseInt(args[2]),
                        Long.parseLong(args[3]),
                        Long.parseLong(args[4]),
                        Integer.parseInt(args[5]),
                        args.length > 6 ? Long.parseLong(args[6]) : 0);
            default -> throw new IllegalArgumentException("receive or send");
        }
    }

    /** The line both ends print, for a test to compare. */
    static String summary(long bytes, MessageDigest sha) {
        return "bytes=" + bytes + " sha256=" + HexFormat.of().formatHex(sha.digest());
    }

    private static void receive(InetAddress address, int port, int timeoutSeconds)
            throws IOException, NoSuchAlgorithmException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port));
            server.setSoTimeout(timeoutSeconds * 1000);
            System.out.println("listening");
            System.out.flush();
            try (Socket s = server.accept()) {
                s.setSoTimeout(timeoutSeconds * 1000);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                long total = 0;
                InputStream in = s.getInputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                    total += n;
                }
                System.out.println(summary(total, sha));
            }
        }
    }

    private static void send(
            InetAddress address, int port, long bytes, long seed, int timeoutSeconds, long bytesPerSecond)
            throws IOException, NoSuchAlgorithmException, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        Socket s = null;
        while (s == null) {
            try {
                s = new Socket();
                s.connect(new InetSocketAddress(address, port), 2000);
            } catch (IOException e) {
                s.close();
                s = null;
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        try (Socket socket = s) {
            socket.setSoTimeout(timeoutSeconds * 1000);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buf = new byte[1 << 16];
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            long left = bytes;
            while (left > 0) {
                if (bytesPerSecond > 0) {
                    long due = started + (bytes - left) * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buf[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
            socket.shutdownOutput();
            System.out.println(summary(bytes, sha));
        }
    }
}
