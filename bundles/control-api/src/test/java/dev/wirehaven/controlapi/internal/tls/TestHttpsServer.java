package dev.wirehaven.controlapi.internal.tls;

import ch.qos.logback.classic.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.slf4j.LoggerFactory;

/**
 * A real Jetty 11 (the one inside Felix HTTP Jetty 5.1.26) on loopback, put together the way Felix HTTP
 * Jetty does it: a plain HTTP connector (the web console's), started with the server, then the control
 * API's {@link HttpsConnector} added to the running server and started, as Felix's
 * {@code ConnectorFactoryTracker} does with the {@code ConnectorFactory} service; and a java.net.http
 * client that trusts the server's certificate and checks host names.
 */
public final class TestHttpsServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector plain;
    private final ServerConnector secure;
    private final X509Certificate certificate;
    private final HttpClient client;

    private TestHttpsServer(
            Server server,
            ServerConnector plain,
            ServerConnector secure,
            X509Certificate certificate,
            HttpClient client) {
        this.server = server;
        this.plain = plain;
        this.secure = secure;
        this.certificate = certificate;
        this.client = client;
    }

    /**
     * Starts a server with a certificate made for {@code localhost} and {@code 127.0.0.1}, stored in
     * {@code directory} as the server stores its own.
     *
     * @param trustForwardedFor whether the connectors take the client's address from X-Forwarded-For,
     *        which lets a loopback test act as a client on another host
     * @param content adds servlets and filters to the root context
     */
    public static TestHttpsServer start(
            Path directory, boolean trustForwardedFor, Consumer<ServletContextHandler> content) throws Exception {
        quietJetty();
        TlsIdentity identity = new ServerCertificate(directory, Clock.systemUTC(), new SecureRandom(), List::of)
                .loadOrCreate(List.of("localhost", "127.0.0.1"));
        return start(identity, trustForwardedFor, content);
    }

    static TestHttpsServer start(
            TlsIdentity identity, boolean trustForwardedFor, Consumer<ServletContextHandler> content) throws Exception {
        return start(new HttpsConnector(loopback(identity), identity), identity, trustForwardedFor, content);
    }

    /** Starts a server to which Felix's way adds the connector that {@code factory} makes. */
    static TestHttpsServer start(
            HttpsConnector factory,
            TlsIdentity identity,
            boolean trustForwardedFor,
            Consumer<ServletContextHandler> content)
            throws Exception {
        quietJetty();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        if (trustForwardedFor) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(http));
        plain.setHost("127.0.0.1");
        server.addConnector(plain);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        content.accept(context);
        server.setHandler(context);
        server.start();

        // what Felix HTTP Jetty's ConnectorFactoryTracker does once Jetty runs
        ServerConnector secure = factory.createConnector(server);
        if (trustForwardedFor) {
            secure.getConnectionFactory(HttpConnectionFactory.class)
                    .getHttpConfiguration()
                    .addCustomizer(new ForwardedRequestCustomizer());
        }
        server.addConnector(secure);
        secure.start();
        return new TestHttpsServer(server, plain, secure, identity.certificate(), trusting(identity.certificate()));
    }

    /** Settings for the connector on loopback and a free port, with the default accept queue. */
    static TlsSettings loopback(TlsIdentity identity) {
        return new TlsSettings(
                0,
                "127.0.0.1",
                TlsSettings.DEFAULT_BACKLOG,
                new TlsSettings.Generated(List.of()),
                new ConfigOrigin(TlsSettings.PID, null));
    }

    /** A client that trusts exactly this certificate, checks host names, and speaks HTTP/1.1. */
    static HttpClient trusting(X509Certificate certificate) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(trustingContext(certificate))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A TLS context that trusts exactly this certificate. */
    static SSLContext trustingContext(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeystoreFiles.TYPE);
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return context;
    }

    /**
     * Stops and starts the server with its connectors, servlets and filters: each servlet is destroyed
     * and initialised again, as the Servlet Whiteboard does with a servlet service when Felix HTTP
     * restarts Jetty.
     */
    public void restartJetty() throws Exception {
        server.stop();
        server.start();
    }

    /** What Felix HTTP Jetty does when the ConnectorFactory service goes away. */
    void removeHttps() throws Exception {
        secure.stop();
        server.removeConnector(secure);
    }

    public HttpClient client() {
        return client;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public int httpsPort() {
        return secure.getLocalPort();
    }

    /** The control API's connector, as Felix added it. */
    ServerConnector httpsConnector() {
        return secure;
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    public URI https(String path) {
        return URI.create("https://127.0.0.1:" + secure.getLocalPort() + path);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + plain.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static void quietJetty() {
        // logback without a configuration logs everything at DEBUG; Jetty's lifecycle is not what these tests read
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(Level.WARN);
    }
}
