package dev.wirehaven.controlapi.internal.tls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's HTTPS connector, sized for a small JSON API with many idle long polls.
 *
 * <p>Felix HTTP Jetty calls {@link #createConnector(Server)} for every Jetty it starts (at its start and
 * after each change of its own configuration), adds the connector to that server and starts it, so the
 * connector serves the same handlers as Felix's plain HTTP connector (the Servlet Whiteboard, with
 * {@code internal.http.LocalOnlyOutsideApi} in front). When this service is unregistered, Felix stops and
 * removes the connector; the plain HTTP connector and the web console keep running.
 *
 * <p>What Felix HTTP's own HTTPS connector cannot be told, and this one is:
 * <ul>
 * <li>the accept queue ({@link TlsSettings#backlog()}, default {@value TlsSettings#DEFAULT_BACKLOG}); Felix
 *     leaves Java's 50, which a burst of a thousand connects overflowed;
 * <li>no header field cache: Jetty's default keeps a 1,024-entry trie per connection (96 KiB of
 *     {@code char[]}) once a request has used it, and holds it while the connection idles in a long poll.
 *     Our requests carry half a dozen short headers, so parsing them anew costs nothing worth keeping;
 * <li>small per-connection buffers ({@value #BUFFER_SIZE} bytes for request input and response
 *     aggregation; Felix's are 8 and 24 KiB): a larger body or answer simply goes in several pieces.
 *     An idle connection holds none of them; they come from, and go back to, the connector's own
 *     {@linkplain #bufferPool() pool}, which keeps at most {@value #POOL_MEMORY} bytes each of heap and
 *     direct buffers after a burst (Jetty's default pool may keep a quarter of the heap);
 * <li>request and response headers up to {@value #HEADER_SIZE} bytes (431 beyond; Felix allows 16 KiB);
 * <li>an idle timeout above the longest policy long poll (60 s wait and 15 s grace), so that a waiting
 *     poll is never cut, while a client that went away silently is closed after {@link #IDLE_TIMEOUT}.
 * </ul>
 *
 * <p>TLS: the identity's PKCS#12 keystore, TLS 1.3 and 1.2 only, TLS 1.2 with ECDHE and an AEAD cipher
 * only ({@link #TLS_CIPHER_SUITES}; Felix's HTTPS connector, as the server used to set it up, also let
 * CBC and DHE suites through), no renegotiation, and Jetty's
 * {@link SecureRequestCustomizer} (https scheme, {@code isSecure()}, and 400 "Invalid SNI" for a Host
 * that the certificate does not name).
 *
 * <p><b>One port, one holder.</b> Felix calls {@code createConnector} from whichever thread meets the
 * service: the registering thread for the Jetty that runs, its configuration thread for a Jetty it has
 * just restarted. The server's first start does both at once (the server's own configuration write
 * restarts Jetty while the connector is being added to the old one), in either order, and a connector
 * of the old Jetty would keep the port from the new one. So a connector for a running Jetty retires
 * every one made before it, by this or an earlier activation: one that has started is stopped before
 * the new one is handed out, and one that has not yet started never binds the port; and a connector
 * asked for a Jetty that is already stopping or stopped is retired from the start (see
 * {@link ApiConnector}).
 */
final class HttpsConnector implements ConnectorFactory {

    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); clients of this API are new. */
    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * The only cipher suites, in the server's order of preference (Jetty keeps the include order and
     * the server's order wins). TLS 1.3 has AEAD suites only. For TLS 1.2: ECDHE for forward secrecy,
     * AES-GCM or ChaCha20-Poly1305 for authenticated encryption; RSA and ECDSA so that an operator's RSA
     * certificate works as well as the server's own EC one. Not CBC (padding oracles: Lucky 13 and
     * kin), not finite-field DHE (weak or small groups), not static RSA key exchange (no forward
     * secrecy). Named exactly rather than by Jetty's default exclusions, which leave CBC with SHA-256/384
     * and DHE in.
     */
    static final String[] TLS_CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
    };
    /** Above the longest policy long poll (60 s wait + 15 s grace, {@code internal.http.PolicyLongPoll}). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);
    /** The limit of a request's (and an answer's) header: a bearer token and a few short fields. */
    static final int HEADER_SIZE = 4096;
    /** The request input buffer and the response aggregation buffer of a connection. */
    static final int BUFFER_SIZE = 4096;
    /** Per-connection header field cache entries: none. */
    static final int HEADER_CACHE_SIZE = 0;
    /** Bytes of idle heap buffers, and of idle direct buffers, that the connector's pool keeps. */
    static final long POOL_MEMORY = 4L << 20;
    /** A TLS record is at most 16 KiB plus overhead (16,709 bytes): buckets of 1 KiB waste little on it. */
    private static final int POOL_BUCKET = 1024;

    private static final int POOL_MAX_BUFFER = 64 * 1024;
    /** How long a port still held by the connector this one replaces is tried again (see ApiConnector#open). */
    static final Duration BIND_WAIT = Duration.ofSeconds(5);

    private static final Duration BIND_RETRY = Duration.ofMillis(25);
    /** The connector's name in Jetty's dump and log. */
    static final String NAME = "wirehaven-control-api";

    private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);
    /** Guards {@link #MADE} and the start of every {@link ApiConnector}. */
    private static final Object PORT = new Object();
    /** The connectors made and not retired: the newest only, once its predecessors are retired. */
    private static final List<ApiConnector> MADE = new ArrayList<>();

    private final TlsSettings settings;
    private final TlsIdentity identity;
    private final Supplier<ByteBufferPool> bufferPools;

    HttpsConnector(TlsSettings settings, TlsIdentity identity) {
        this(settings, identity, HttpsConnector::bufferPool);
    }

    /** @param bufferPools a new buffer pool for each connector (tests count what the connector holds) */
    HttpsConnector(TlsSettings settings, TlsIdentity identity, Supplier<ByteBufferPool> bufferPools) {
        this.settings = settings;
        this.identity = identity;
        this.bufferPools = bufferPools;
    }

    /**
     * A new, unstarted connector for {@code server}; its port is bound when it starts. Felix adds and
     * starts it, and logs the failure when the port is taken. Every connector made before, for an older
     * Jetty or by an earlier activation, is retired first.
     */
    @Override
    public ServerConnector createConnector(Server server) {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(HEADER_SIZE);
        http.setResponseHeaderSize(HEADER_SIZE);
        http.setOutputBufferSize(BUFFER_SIZE);
        http.setHeaderCacheSize(HEADER_CACHE_SIZE);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        http11.setInputBufferSize(BUFFER_SIZE);

        ApiConnector connector = new ApiConnector(
                server, bufferPools.get(), new SslConnectionFactory(tls(), http11.getProtocol()), http11);
        connector.setName(NAME);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setAcceptQueueSize(settings.backlog());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        boolean felixHttps = felixHttpsOnThePort(server);
        if (felixHttps) {
            LOG.info(
                    "Felix HTTP's own HTTPS connector still holds port {} (set up by an earlier version); the"
                            + " control API's connector starts with the Jetty that Felix restarts without it",
                    settings.port());
        }
        List<ApiConnector> older = List.of();
        synchronized (PORT) {
            if (!server.isRunning()) {
                // Felix's registering thread, late, for the Jetty that its configuration thread has replaced
                connector.retire();
            } else {
                older = new ArrayList<>(MADE);
                older.forEach(ApiConnector::retire);
                MADE.clear();
                MADE.add(connector);
                if (felixHttps) {
                    connector.retire();
                }
            }
        }
        // outside PORT: a stop waits for a start in progress, which holds PORT (see ApiConnector#doStart)
        for (ApiConnector o : older) {
            try {
                o.stop();
            } catch (Exception e) {
                LOG.warn(
                        "The control API's HTTPS connector of an earlier Jetty did not stop cleanly: {}", e.toString());
            }
        }
        return connector;
    }

    /**
     * The control API's connector: once retired by a newer one it never binds the port. Binding happens
     * in {@link #open()} (from its start, or from Jetty's own start of a server, which opens every
     * connector first), and a start after retirement starts nothing, so that Felix, which starts it for
     * a Jetty that is being replaced, has nothing to report. Stopping closes whatever it holds.
     */
    static final class ApiConnector extends ServerConnector {
        private boolean retired; // guarded by PORT

        ApiConnector(Server server, ByteBufferPool pool, ConnectionFactory... factories) {
            super(server, null, null, pool, -1, -1, factories);
        }

        /** Called with PORT held. */
        private void retire() {
            retired = true;
        }

        /**
         * Binds the port unless retired. Jetty's stop of the connector this one replaces closes its
         * channel but does not wait for its acceptor thread, and the kernel keeps that listening socket
         * until the thread has left {@code accept()}: on a busy machine, a moment longer. A port that is
         * still taken is therefore tried again, for up to {@link #BIND_WAIT}.
         */
        @Override
        public void open() throws IOException {
            synchronized (PORT) {
                long deadline = System.nanoTime() + BIND_WAIT.toNanos();
                while (!retired) {
                    try {
                        super.open();
                        return;
                    } catch (IOException e) {
                        if (!(e.getCause() instanceof BindException) || System.nanoTime() > deadline) {
                            throw e;
                        }
                    }
                    try {
                        // releases PORT meanwhile: a newer connector may retire this one, which then gives up
                        PORT.wait(BIND_RETRY.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for port " + getPort());
                    }
                }
            }
        }

        @Override
        protected void doStart() throws Exception {
            synchronized (PORT) {
                if (retired) {
                    LOG.debug(
                            "Not starting {} for a Jetty that Felix HTTP replaces: a newer connector has the port",
                            this);
                    return;
                }
                super.doStart();
            }
        }
    }

    /**
     * True when {@code server} runs a connector of Felix's own on this port: its HTTPS, from the settings
     * an earlier version wrote, which the server has just switched off (Felix restarts Jetty without it).
     */
    private boolean felixHttpsOnThePort(Server server) {
        for (Connector c : server.getConnectors()) {
            if (!(c instanceof ApiConnector)
                    && c instanceof ServerConnector other
                    && other.isRunning()
                    && other.getLocalPort() == settings.port()) {
                return true;
            }
        }
        return false;
    }

    private SslContextFactory.Server tls() {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(identity.keystore().toString());
        tls.setKeyStoreType(KeystoreFiles.TYPE);
        tls.setKeyStorePassword(identity.password());
        tls.setKeyManagerPassword(identity.password());
        tls.setIncludeProtocols(TLS_PROTOCOLS);
        // Jetty reads these as regular expressions: the names hold no metacharacters, so each matches itself
        tls.setIncludeCipherSuites(TLS_CIPHER_SUITES);
        // Jetty closes a connection whose client starts a second handshake (TLS 1.2 renegotiation); TLS 1.3
        // has none. bin/wirehaven also sets jdk.tls.rejectClientInitiatedRenegotiation for the whole JVM.
        tls.setRenegotiationAllowed(false);
        return tls;
    }

    /**
     * The connector's own buffer pool, one per connector (a restart of Jetty makes a new one): buffers
     * from 1 to 64 KiB in 1 KiB steps, at most {@value #POOL_MEMORY} bytes of each kind kept idle. The
     * retainable buffers of TLS input come from the same pool (-2: no separate retained pool).
     */
    static ByteBufferPool bufferPool() {
        return new ArrayByteBufferPool(0, POOL_BUCKET, POOL_MAX_BUFFER, -1, POOL_MEMORY, POOL_MEMORY, -2, -2);
    }

    @Override
    public String toString() {
        return NAME + " https://" + settings.host() + ":" + settings.port() + " (backlog " + settings.backlog() + ", "
                + identity.description() + ")";
    }
}
