package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Small TCP services and a probe of them, run as their own programs inside a namespace (only the
 * JDK is needed there): a service answers {@code hello from <address>:<port>} and closes; the probe
 * prints {@code open <answer>} or {@code closed <why>} and exits 0 or 1. Access control tests ask
 * "does this flow get through?", not how fast.
 *
 * <pre>
 * TcpProbe serve &lt;address&gt; &lt;port&gt;[,&lt;port&gt;...]
 * TcpProbe connect &lt;address&gt; &lt;port&gt; &lt;timeout-millis&gt;
 * TcpProbe scan &lt;address&gt; &lt;first-port&gt; &lt;last-port&gt; &lt;timeout-millis&gt;
 * </pre>
 *
 * <p>{@code scan} tries every port of the range at once, as a port scanner does, and prints how many
 * answered ({@code open <n>}); it exits 0.
 */
public final class TcpProbe {

    private TcpProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            InetAddress address = InetAddress.getByName(args[1]);
            for (String port : args[2].split(",")) {
                serve(address, Integer.parseInt(port));
            }
            System.out.println("serving");
            System.out.flush();
            Thread.currentThread().join();
        } else if (args[0].equals("scan")) {
            System.out.println("open "
                    + scan(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])));
        } else {
            System.exit(connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])) ? 0 : 1);
        }
    }

    private static void serve(InetAddress address, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port));
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = server.accept();
                        OutputStream out = s.getOutputStream()) {
                    out.write(("hello from " + address.getHostAddress() + ":" + port + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // one failed connection does not end the service
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static int scan(String address, int first, int last, int timeoutMillis) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> probes = new java.util.ArrayList<>();
        for (int port = first; port <= last; port++) {
            int p = port;
            Thread t = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, p), timeoutMillis);
                    open.incrementAndGet();
                } catch (IOException e) {
                    // closed or filtered: what a scan is made of
                }
            });
            t.start();
            probes.add(t);
        }
        for (Thread t : probes) {
            t.join();
        }
        return open.get();
    }

    private static boolean connect(String address, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println("open " + answer);
            return answer.startsWith("hello");
        } catch (IOException e) {
            System.out.println("closed " + e);
            return false;
        }
    }
}
