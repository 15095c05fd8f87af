package dev.wirehaven.auth.oidc.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HTTP endpoints on loopback that answer what the test scripted, one answer per request, and record
 * the requests: the device authorization and token endpoints of a provider, for the answers that a
 * real one gives only at moments a test cannot choose ({@code slow_down}, {@code expired_token}, a
 * server error). mock-oauth2-server has no device grant; Keycloak's is exercised in the IT.
 */
final class ScriptedEndpoints implements AutoCloseable {

    /** One request as it arrived. */
    record Recorded(String path, String authorization, String body) {}

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private ScriptedEndpoints(HttpServer server) {
        this.server = server;
    }

    static ScriptedEndpoints start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ScriptedEndpoints endpoints = new ScriptedEndpoints(server);
            server.createContext("/", endpoints::handle);
            server.start();
            return endpoints;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next request to {@code path} gets {@code status} with the JSON {@code body}. */
    ScriptedEndpoints json(String path, int status, String body) {
        answers.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>())
                .add(new Answer(status, "application/json", body));
        return this;
    }

    /** The next request to {@code path} gets {@code status} with a plain text {@code body}. */
    ScriptedEndpoints text(String path, int status, String body) {
        answers.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).add(new Answer(status, "text/plain", body));
        return this;
    }

    /** The next token request gets the OAuth error {@code code} (HTTP 400, RFC 6749 §5.2). */
    ScriptedEndpoints tokenError(String code) {
        return json("/token", 400, "{\"error\":\"" + code + "\"}");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(path, exchange.getRequestHeaders().getFirst("Authorization"), body));
            Deque<Answer> queue = answers.get(path);
            Answer answer = queue == null ? null : queue.poll();
            if (answer == null) {
                answer = new Answer(500, "text/plain", "no answer scripted for " + path);
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType() + ";charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
