package dev.wirehaven.monitor.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS (RFC 5425) to a collector in the test: a JDK TLS server with a certificate made by
 * the JDK's keytool for 127.0.0.1. The sink must verify it against the CA file it is given, and send
 * nothing to a collector whose certificate that CA did not sign.
 */
class TlsForwardingTest {

    @TempDir
    Path dir;

    private Path keystore(String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        run(
                keytool(),
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit");
        run(
                keytool(),
                "-exportcert",
                "-rfc",
                "-alias",
                name,
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-file",
                dir.resolve(name + ".pem").toString());
        return ks;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", argv) + ": " + out);
    }

    private static SSLServerSocket collector(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /** Reads one octet-counted frame: digits, a space, that many bytes. */
    private static String frame(SSLServerSocket server) throws Exception {
        try (SSLSocket s = (SSLSocket) server.accept()) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            int length = 0;
            for (int c = in.read(); c != ' '; c = in.read()) {
                assertTrue(c >= '0' && c <= '9', "octet count expected, got " + c);
                length = length * 10 + (c - '0');
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in.readNBytes(length));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static SecurityEvent event() throws Exception {
        return new SecurityEvent(
                SecurityEvent.ADMIN_AUTH_FAILURE,
                Severity.CRITICAL,
                Instant.now(),
                "root",
                InetAddress.getLoopbackAddress(),
                "x");
    }

    @Test
    void aCollectorWithACertificateOfTheGivenCaReceivesFramedRecords() throws Exception {
        Path ks = keystore("collector");
        try (SSLServerSocket server = collector(ks)) {
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return frame(server);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            AuditSink sink = new AuditSink(
                    dir.resolve("data"),
                    new TestConfig(
                            "tls://127.0.0.1:" + server.getLocalPort(),
                            dir.resolve("collector.pem").toString(),
                            1 << 20),
                    Clock.systemUTC());
            sink.securityEvent(event());
            String message = got.get(30, TimeUnit.SECONDS);
            sink.deactivate();
            assertTrue(message.startsWith("<82>1 "), message); // authpriv, critical
            assertTrue(message.contains(" admin.auth.failure - {"), message);
        }
    }

    @Test
    void aCollectorThatTheCaDidNotSignGetsNothing() throws Exception {
        Path real = keystore("collector");
        keystore("other");
        try (SSLServerSocket server = collector(real)) {
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return frame(server);
                } catch (Exception e) {
                    return "refused: " + e;
                }
            });
            SyslogSender sender = new SyslogSender(
                    SyslogTarget.parse("tls://127.0.0.1:" + server.getLocalPort()),
                    dir.resolve("other.pem"),
                    Clock.systemUTC());
            sender.send("<82>1 - - - - - - secret".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, sender.dropped());
            assertEquals(0, sender.sent());
            sender.close();
            assertTrue(got.get(30, TimeUnit.SECONDS).startsWith("refused"), "the collector read a record");
        }
    }
}
