package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the control API's HTTPS connector agrees to speak: TLS 1.3, and TLS 1.2 with ECDHE and an AEAD
 * cipher only (AES-GCM, ChaCha20-Poly1305), no renegotiation. Every case is a real handshake of a JDK
 * client with the connector in a real Jetty 11 (the one in Felix HTTP Jetty), added the way Felix adds it:
 *
 * <pre>
 *   SSLSocket (one protocol, one suite) ──TLS──▶ 127.0.0.1:&lt;port&gt; HttpsConnector in Jetty
 * </pre>
 *
 * <p>TLS 1.0 and 1.1 are also switched off by the JDK itself ({@code jdk.tls.disabledAlgorithms}), which a
 * test cannot undo once JSSE is loaded, so for them the connector's own selection is checked as well: it
 * must not rely on the JDK's defaults, which an operator's {@code java.security} may relax.
 */
class TlsProtocolsTest {

    /** TLS 1.2 suites: forward secret (ECDHE) and authenticated encryption (GCM or ChaCha20-Poly1305). */
    private static final Pattern TLS12_AEAD =
            Pattern.compile("TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");
    /** TLS 1.3 suites are all AEAD with ephemeral key exchange. */
    private static final Pattern TLS13 =
            Pattern.compile("TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @TempDir
    Path data;

    private TlsIdentity ownCertificate() {
        return new ServerCertificate(data.resolve("tls"), Clock.systemUTC(), new SecureRandom(), List::of)
                .loadOrCreate(List.of("localhost", "127.0.0.1"));
    }

    @Test
    void theConnectorSelectsTls13AndTls12WithEcdheAeadSuitesOnly() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            SslContextFactory tls = server.httpsConnector()
                    .getConnectionFactory(SslConnectionFactory.class)
                    .getSslContextFactory();

            // the JDK supports TLSv1 and TLSv1.1 (it merely disables them by default): the selection is ours
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, tls.getSelectedProtocols());
            String[] suites = tls.getSelectedCipherSuites();
            assertTrue(suites.length > 0, "no cipher suite selected");
            for (String suite : suites) {
                assertTrue(
                        TLS12_AEAD.matcher(suite).matches()
                                || TLS13.matcher(suite).matches(),
                        suite + " is neither a TLS 1.3 suite nor TLS 1.2 ECDHE with AEAD; selected: "
                                + Arrays.toString(suites));
            }
            // both key types of operators' certificates keep a suite (RSA as well as the server's own EC)
            assertTrue(Arrays.stream(suites).anyMatch(s -> s.startsWith("TLS_ECDHE_RSA_WITH_AES_")), "no RSA suite");
            assertTrue(Arrays.stream(suites).anyMatch(s -> s.startsWith("TLS_ECDHE_ECDSA_WITH_AES_")), "no EC suite");
            assertFalse(tls.isRenegotiationAllowed());
        }
    }

    @Test
    void tls13IsAccepted() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            SSLSession session = handshake(server, "TLSv1.3", "TLS_AES_128_GCM_SHA256");

            assertEquals("TLSv1.3", session.getProtocol());
        }
    }

    @Test
    void tls12WithAesGcmAndWithChaCha20AreAccepted() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            for (String suite : List.of(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")) {
                SSLSession session = handshake(server, "TLSv1.2", suite);

                assertEquals("TLSv1.2", session.getProtocol(), suite);
                assertEquals(suite, session.getCipherSuite());
            }
        }
    }

    @Test
    void tls12WithACbcSuiteIsRefused() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            // CBC with HMAC-SHA256/384: enabled by the JDK and by Jetty's default exclusions alike (they
            // exclude only SHA-1, RSA key exchange, NULL and anonymous suites)
            for (String suite :
                    List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")) {
                assertThrows(IOException.class, () -> handshake(server, "TLSv1.2", suite), suite);
            }
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            assertThrows(IOException.class, () -> handshake(server, "TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
        }
    }

    @Test
    void aRenegotiationOverTls12IsRefused() throws Exception {
        try (TestHttpsServer server = TestHttpsServer.start(ownCertificate(), false, context -> {})) {
            SSLSocket socket = socket(server, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            try (socket) {
                socket.startHandshake();
                // a second handshake on TLS 1.2 is a renegotiation (a ClientHello on the encrypted channel)
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                // refused: the connection is closed (end of stream or an alert), never an HTTP answer
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the server neither answered nor closed after a renegotiation", e);
                } catch (IOException closed) {
                    first = -1;
                }
                assertEquals(-1, first, "the server answered over a renegotiated connection");
            }
        }
    }

    private static SSLSession handshake(TestHttpsServer server, String protocol, String suite) throws Exception {
        try (SSLSocket socket = socket(server, protocol, suite)) {
            socket.startHandshake();
            return socket.getSession();
        }
    }

    private static SSLSocket socket(TestHttpsServer server, String protocol, String suite) throws Exception {
        SSLContext context = TestHttpsServer.trustingContext(server.certificate());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setEnabledCipherSuites(new String[] {suite});
        return socket;
    }
}
