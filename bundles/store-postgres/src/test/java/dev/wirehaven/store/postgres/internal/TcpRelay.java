package dev.wirehaven.store.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A database that is not there yet: a loopback port that nothing listens on until {@link #open} puts
 * a relay to the tests' real PostgreSQL on it. The store under test is configured with this port, so
 * the test decides when "the database" becomes reachable without stopping the shared server.
 */
final class TcpRelay implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;

    private TcpRelay(int port) {
        this.port = port;
    }

    /** A port that was free a moment ago and on which nothing listens yet. */
    static TcpRelay closedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new TcpRelay(probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Listens on the port from now on and relays each connection to {@code targetPort} on loopback. */
    void open(int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listening = server;
        Thread acceptor = new Thread(() -> accept(server, targetPort), "relay :" + port + " -> :" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket server, int targetPort) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ended) {
                        // one side closed: the other is closed with it below
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "relay " + from.getPort() + " -> " + to.getPort());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }

    @Override
    public void close() throws IOException {
        ServerSocket server = listening;
        if (server != null) {
            server.close();
        }
        sockets.forEach(TcpRelay::closeQuietly);
    }
}
