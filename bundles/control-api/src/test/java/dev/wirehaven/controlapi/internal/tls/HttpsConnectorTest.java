package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBufferPool;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API's own HTTPS connector in a real Jetty 11, added to the running server the way Felix
 * HTTP Jetty adds a {@code ConnectorFactory}'s connector (see {@link TestHttpsServer}): what it keeps of
 * the HTTPS that Felix used to serve (certificate, fingerprint, SNI check, the operator's certificate,
 * the web console beside it), and what Felix could not be told (accept queue, header limit, no header
 * cache, no buffer held by an idle long poll).
 */
class HttpsConnectorTest {

    /** A bound on a broken test, not a measurement. */
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path data;

    private TlsIdentity ownCertificate() {
        return new ServerCertificate(data.resolve("tls"), Clock.systemUTC(), new SecureRandom(), List::of)
                .loadOrCreate(List.of("localhost", "127.0.0.1"));
    }

    @Test
    void theConnectorServesTheOperatorsPemCertificateWithItsFingerprint() throws Exception {
        SelfSignedCertificates.Identity issued =
                SelfSignedCertificates.create(List.of("localhost", "127.0.0.1"), Clock.systemUTC(), new SecureRandom());
        Path certificate = pem("cert.pem", issued.certificate());
        Path key = pem("key.pem", new JcaPKCS8Generator(issued.keyPair().getPrivate(), null));
        TlsIdentity identity = new OperatorCertificate(data.resolve("tls"), new SecureRandom())
                .load(new TlsSettings.OperatorPem(certificate, key), new ConfigOrigin(TlsSettings.PID, null));

        try (TestHttpsServer server = TestHttpsServer.start(
                identity, false, context -> context.addServlet(new ServletHolder(new Hello()), "/hello"))) {
            HttpResponse<String> response = server.client()
                    .send(HttpRequest.newBuilder(server.https("/hello")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            X509Certificate served =
                    (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals(Fingerprints.sha256(issued.certificate()), Fingerprints.sha256(served));
        }
    }

    @Test
    void aHostThatTheCertificateDoesNotNameIsRefusedAsInvalidSni() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(
                ownCertificate(), false, context -> context.addServlet(new ServletHolder(new Hello()), "/hello"))) {
            String named = exchange(server, "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String other =
                    exchange(server, "GET /hello HTTP/1.1\r\nHost: vpn.example.com\r\nConnection: close\r\n\r\n");

            assertTrue(named.startsWith("HTTP/1.1 200"), named);
            assertTrue(other.startsWith("HTTP/1.1 400"), other);
            assertTrue(other.contains("Invalid SNI"), other);
        }
    }

    @Test
    void requestsSeeHttpsAndTheWebConsolesPlainHttpAnswersBeside() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(
                ownCertificate(), false, context -> context.addServlet(new ServletHolder(new Scheme()), "/scheme"))) {
            HttpResponse<String> secure = server.client()
                    .send(
                            HttpRequest.newBuilder(server.https("/scheme")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plain = server.client()
                    .send(HttpRequest.newBuilder(server.http("/scheme")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("https secure", secure.body());
            assertEquals("http plain", plain.body());
        }
    }

    @Test
    void whenFelixRemovesTheConnectorHttpsClosesAndTheWebConsoleKeepsAnswering() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(
                ownCertificate(), false, context -> context.addServlet(new ServletHolder(new Hello()), "/hello"))) {
            int port = server.httpsPort();

            server.removeHttps();

            awaitRefused(port);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            assertEquals(
                    200,
                    server.client()
                            .send(
                                    HttpRequest.newBuilder(server.http("/hello"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
        }
    }

    /**
     * The server's first start: its configuration write makes Felix restart Jetty while the connector is
     * still being added to the old Jetty in another thread, and Felix's configuration thread asks for a
     * connector for the new Jetty before the old one has started.
     */
    @Test
    void aConnectorForTheNewerJettyGetsThePortEvenWhenTheOlderOnesStartsLate() throws Exception {
        TlsIdentity identity = ownCertificate();
        HttpsConnector factory = new HttpsConnector(onPort(freePort()), identity);
        Server older = jetty("older");
        Server newer = jetty("newer");
        try {
            ServerConnector late = factory.createConnector(older);
            older.addConnector(late);
            ServerConnector current = factory.createConnector(newer);
            newer.addConnector(current);
            current.start();

            late.start();

            assertEquals("newer", get(identity, current.getPort()));
            late.stop();
            older.removeConnector(late);
            assertEquals("newer", get(identity, current.getPort()), "stopping the older one left the port alone");
        } finally {
            older.stop();
            newer.stop();
        }
    }

    /** The other order: Felix's registering thread meets the service only after the restart. */
    @Test
    void aConnectorAskedForAJettyThatFelixHasStoppedNeverTakesThePortFromTheNewerOne() throws Exception {
        TlsIdentity identity = ownCertificate();
        HttpsConnector factory = new HttpsConnector(onPort(freePort()), identity);
        Server older = jetty("older");
        Server newer = jetty("newer");
        try {
            older.stop();
            ServerConnector current = factory.createConnector(newer);
            newer.addConnector(current);
            current.start();

            ServerConnector late = factory.createConnector(older);
            older.addConnector(late);
            late.start();
            late.stop();

            assertTrue(current.isRunning(), "the newer Jetty's connector still runs");
            assertEquals("newer", get(identity, current.getPort()));
        } finally {
            newer.stop();
        }
    }

    @Test
    void anOlderConnectorThatHoldsThePortIsStoppedWhenTheNewerJettyAsksForOne() throws Exception {
        TlsIdentity identity = ownCertificate();
        HttpsConnector factory = new HttpsConnector(onPort(freePort()), identity);
        Server older = jetty("older");
        Server newer = jetty("newer");
        try {
            ServerConnector first = factory.createConnector(older);
            older.addConnector(first);
            first.start();
            assertEquals("older", get(identity, first.getPort()));

            ServerConnector second = factory.createConnector(newer);
            newer.addConnector(second);
            second.start();

            assertTrue(first.isStopped(), "the older connector was stopped");
            assertEquals("newer", get(identity, second.getPort()));
        } finally {
            older.stop();
            newer.stop();
        }
    }

    /**
     * The first start after an upgrade: Felix's own HTTPS, from the settings an earlier version wrote,
     * still holds the port until Felix restarts Jetty without it.
     */
    @Test
    void whileFelixsOwnHttpsHoldsThePortTheConnectorWaitsForTheJettyWithoutIt() throws Exception {
        TlsIdentity identity = ownCertificate();
        int port = freePort();
        HttpsConnector factory = new HttpsConnector(onPort(port), identity);
        Server older = jetty("older");
        ServerConnector felixHttps = new ServerConnector(older);
        felixHttps.setHost("127.0.0.1");
        felixHttps.setPort(port);
        older.addConnector(felixHttps);
        felixHttps.start();
        Server newer = jetty("newer");
        try {
            ServerConnector waiting = factory.createConnector(older);
            older.addConnector(waiting);

            waiting.start();
            older.stop();
            ServerConnector current = factory.createConnector(newer);
            newer.addConnector(current);
            current.start();

            assertEquals(port, current.getLocalPort());
            assertEquals("newer", get(identity, port));
        } finally {
            older.stop();
            newer.stop();
        }
    }

    @Test
    void theAcceptQueueIsTheConfiguredBacklogAndAThousandByDefault() throws Exception {
        TlsIdentity identity = ownCertificate();
        TlsSettings configured = TlsSettings.from(Map.of("backlog", "2048"), 8443, data);

        assertEquals(
                1024,
                new HttpsConnector(TestHttpsServer.loopback(identity), identity)
                        .createConnector(new org.eclipse.jetty.server.Server())
                        .getAcceptQueueSize());
        assertEquals(
                2048,
                new HttpsConnector(configured, identity)
                        .createConnector(new org.eclipse.jetty.server.Server())
                        .getAcceptQueueSize());
    }

    @Test
    void aRequestHeaderOverTheLimitIsRefusedWith431() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(
                ownCertificate(), false, context -> context.addServlet(new ServletHolder(new Hello()), "/hello"))) {
            String bearer = "Bearer " + "x".repeat(2048);
            String tooMuch = "x".repeat(HttpsConnector.HEADER_SIZE);

            HttpResponse<String> usual = server.client()
                    .send(
                            HttpRequest.newBuilder(server.https("/hello"))
                                    .header("Authorization", bearer)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> oversized = server.client()
                    .send(
                            HttpRequest.newBuilder(server.https("/hello"))
                                    .header("X-Padding", tooMuch)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertEquals(200, usual.statusCode());
            assertEquals(431, oversized.statusCode());
        }
    }

    @Test
    void anIdleLongPollHoldsNoBufferAndNoHeaderCacheAndOutlivesTheLongestWait() throws Exception {
        TlsIdentity identity = ownCertificate();
        CountingPool pool = new CountingPool(HttpsConnector.bufferPool());
        LongPoll poll = new LongPoll();
        try (TestHttpsServer server = TestHttpsServer.start(
                new HttpsConnector(TestHttpsServer.loopback(identity), identity, () -> pool),
                identity,
                false,
                context -> {
                    ServletHolder holder = new ServletHolder(poll);
                    holder.setAsyncSupported(true);
                    context.addServlet(holder, "/poll");
                })) {
            // the headers a client of the API sends, several of which Jetty's header cache would keep
            CompletableFuture<HttpResponse<String>> answer = server.client()
                    .sendAsync(
                            HttpRequest.newBuilder(server.https("/poll"))
                                    .header("Authorization", "Bearer token-1")
                                    .header("Accept", "application/json")
                                    .header("Accept-Encoding", "identity")
                                    .header("Accept-Language", "en")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(poll.waiting.await(WAIT_SECONDS, TimeUnit.SECONDS), "the poll reached the servlet");
            ServerConnector connector = server.httpsConnector();
            assertEquals(1, connector.getConnectedEndPoints().size());
            HttpConnection http =
                    httpConnection(connector.getConnectedEndPoints().iterator().next());

            awaitReleased(pool);

            assertEquals(0, pool.outstanding(), "bytes of pooled buffers the waiting connection holds");
            assertEquals(0, http.getParser().getHeaderCacheSize());
            assertTrue(http.getParser().getFieldCache().isEmpty(), "the parser keeps no header field");
            assertTrue(
                    connector.getIdleTimeout() > Duration.ofSeconds(60 + 15).toMillis(),
                    "a poll of the longest wait (60 s) and its grace (15 s) is never cut by the idle timeout");

            poll.context.get().complete();
            assertEquals(200, answer.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode());
        }
    }

    private static TlsSettings onPort(int port) {
        return new TlsSettings(
                port,
                "127.0.0.1",
                TlsSettings.DEFAULT_BACKLOG,
                new TlsSettings.Generated(List.of()),
                new ConfigOrigin(TlsSettings.PID, null));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A started Jetty without connectors whose every path answers {@code name}. */
    private static Server jetty(String name) throws Exception {
        Server server = new Server();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new Named(name)), "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    private static String get(TlsIdentity identity, int port) throws Exception {
        HttpClient client = TestHttpsServer.trusting(identity.certificate());
        return client.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The connection that parses HTTP under the TLS connection of {@code endPoint}. */
    private static HttpConnection httpConnection(EndPoint endPoint) {
        SslConnection tls = (SslConnection) endPoint.getConnection();
        return (HttpConnection) tls.getDecryptedEndPoint().getConnection();
    }

    /**
     * Jetty gives its buffers back right after the servlet returns from starting the poll, on the same
     * thread but after the servlet's signal: wait for that, bounded only against a broken test.
     */
    private static void awaitReleased(CountingPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (pool.outstanding() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * Jetty's stop closes the listening channel but does not wait for its acceptor thread, and the kernel
     * keeps the socket until that thread has left accept(): wait for that, bounded only against a broken
     * test.
     */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
    }

    /** One request over a raw TLS socket that trusts the server's certificate; the whole answer. */
    private static String exchange(TestHttpsServer server, String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestHttpsServer.trustingContext(server.certificate())
                .getSocketFactory()
                .createSocket("127.0.0.1", server.httpsPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringWriter answer = new StringWriter();
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .transferTo(answer);
            return answer.toString();
        }
    }

    private Path pem(String name, Object item) throws IOException {
        Path file = data.resolve(name);
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(item);
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    /** Counts the bytes of the buffers taken from a pool and not given back. */
    private static final class CountingPool implements ByteBufferPool {
        private final ByteBufferPool pool;
        private final AtomicLong outstanding = new AtomicLong();

        CountingPool(ByteBufferPool pool) {
            this.pool = pool;
        }

        long outstanding() {
            return outstanding.get();
        }

        @Override
        public ByteBuffer acquire(int size, boolean direct) {
            ByteBuffer buffer = pool.acquire(size, direct);
            outstanding.addAndGet(buffer.capacity());
            return buffer;
        }

        @Override
        public void release(ByteBuffer buffer) {
            outstanding.addAndGet(-buffer.capacity());
            pool.release(buffer);
        }

        @Override
        public void remove(ByteBuffer buffer) {
            outstanding.addAndGet(-buffer.capacity());
            pool.remove(buffer);
        }

        @Override
        public RetainableByteBufferPool asRetainableByteBufferPool() {
            return RetainableByteBufferPool.from(this);
        }
    }

    /** Starts a poll and leaves it waiting until the test completes it. */
    private static final class LongPoll extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient CountDownLatch waiting = new CountDownLatch(1);
        final transient AtomicReference<AsyncContext> context = new AtomicReference<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            context.set(async);
            waiting.countDown();
        }
    }

    private static final class Named extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(name);
        }
    }

    private static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("hello");
        }
    }

    private static final class Scheme extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(request.getScheme() + " " + (request.isSecure() ? "secure" : "plain"));
        }
    }
}
