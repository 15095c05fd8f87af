package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own certificate, as Felix HTTP Jetty is told to serve it, works with Jetty 11 and a
 * java.net.http client that checks host names: by address and by name, through Jetty's SNI host check.
 */
class CertificateServedByJettyTest {

    @TempDir
    Path data;

    @Test
    void clientsReachTheServerByEveryNameTheCertificateListsAndSeeItsFingerprint() throws Exception {
        TlsIdentity identity = new ServerCertificate(
                        data.resolve("tls"),
                        Clock.systemUTC(),
                        new SecureRandom(),
                        () -> SubjectNames.defaults("ignored", List.of()))
                .loadOrCreate(List.of());
        try (TestHttpsServer server = TestHttpsServer.start(
                identity, false, context -> context.addServlet(new ServletHolder(new Hello()), "/hello"))) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpResponse<String> response = server.client()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("https://" + host + ":" + server.httpsPort() + "/hello"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

                assertEquals(200, response.statusCode(), host);
                assertEquals("hello", response.body());
                X509Certificate served =
                        (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
                assertEquals(identity.fingerprint(), Fingerprints.sha256(served), host);
            }
        }
    }

    private static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("hello");
        }
    }
}
