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
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.LoggerFactory;

/**
 * A real Jetty 11 (the one inside Felix HTTP Jetty 5.1.26) on loopback with a plain HTTP and an HTTPS
 * connector, the HTTPS one set up the way Felix HTTP Jetty sets it up from the settings the server
 * writes (keystore path, password, key password, type, protocols, a default SecureRequestCustomizer,
 * which checks the Host against the certificate's names), and a java.net.http client that trusts the
 * server's certificate and checks host names.
 */
public final class TestHttpsServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector plain;
    private final ServerConnector secure;
    private final X509Certificate certificate;
    private final HttpClient client;

    private TestHttpsServer(Server server, ServerConnector plain, ServerConnector secure, X509Certificate certificate,
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
    public static TestHttpsServer start(Path directory, boolean trustForwardedFor,
            Consumer<ServletContextHandler> content) throws Exception {
        quietJetty();
        TlsIdentity identity = new ServerCertificate(directory, Clock.systemUTC(), new SecureRandom(), List::of)
                .loadOrCreate(List.of("localhost", "127.0.0.1"));
        return start(identity, trustForwardedFor, content);
    }

    static TestHttpsServer start(TlsIdentity identity, boolean trustForwardedFor,
            Consumer<ServletContextHandler> content) throws Exception {
        quietJetty();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        if (trustForwardedFor) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(identity.keystore().toString());
        tls.setKeyStorePassword(identity.password());
        tls.setKeyManagerPassword(identity.password());
        tls.setKeyStoreType(KeystoreFiles.TYPE);
        tls.setIncludeProtocols(FelixHttpsSettings.TLS_PROTOCOLS.split(","));

        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(http));
        plain.setHost("127.0.0.1");
        ServerConnector secure = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        secure.setHost("127.0.0.1");
        server.addConnector(plain);
        server.addConnector(secure);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        content.accept(context);
        server.setHandler(context);
        server.start();
        return new TestHttpsServer(server, plain, secure, identity.certificate(), trusting(identity.certificate()));
    }

    /** A client that trusts exactly this certificate, checks host names, and speaks HTTP/1.1. */
    static HttpClient trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeystoreFiles.TYPE);
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
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
