package dev.wirehaven.example.monitor.webhook.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A real HTTP receiver on a free loopback port: it records every request and answers with the statuses
 * a test scripts, then 200. A scripted {@link #NO_ANSWER} holds the request unanswered until the receiver
 * closes.
 */
final class TestReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, String contentType, String signature, String body) {}

    /** A scripted status that means: do not answer. */
    static final int NO_ANSWER = 0;

    private final HttpServer server;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int status;
                synchronized (this) {
                    requests.add(new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().toString(),
                            exchange.getRequestHeaders().getFirst("Content-Type"),
                            exchange.getRequestHeaders().getFirst(BodySignature.HEADER),
                            body));
                    status = statuses.isEmpty() ? 200 : statuses.removeFirst();
                }
                if (status == NO_ANSWER) {
                    closing.await();
                    return;
                }
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The statuses of the next answers, in order; after them the receiver answers 200. */
    synchronized TestReceiver answering(Integer... next) {
        statuses.addAll(List.of(next));
        return this;
    }

    /** {@code http://127.0.0.1:PORT} and the path. */
    String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
