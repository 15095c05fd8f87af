package dev.wirehaven.monitor.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends syslog messages to one collector. UDP: one datagram per message, cut at
 * {@link #MAX_DATAGRAM} bytes. TCP and TLS: one connection, opened when needed, each message framed by
 * octet counting ({@code LENGTH SP MESSAGE}, RFC 6587 section 3.4.1 and RFC 5425), which survives
 * newlines inside a message. TLS checks the collector's certificate against the CA file given (or the
 * JDK's trust store) and its name against the host, TLS 1.2 or 1.3 only.
 *
 * <p>The audit file is the record of truth; syslog is a copy. So a collector that is down costs a
 * count, not a wait: after a failure no connection is tried for {@link #RETRY_AFTER}, and what comes
 * meanwhile is counted as dropped.
 */
final class SyslogSender implements AutoCloseable {

    /** RFC 5426 asks receivers for at least 2048 bytes; collectors take 8 KB in practice. */
    static final int MAX_DATAGRAM = 8192;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final SyslogTarget target;
    /** Makes an unconnected stream socket (TCP or TLS); null for UDP. */
    private final StreamSockets streams;

    private interface StreamSockets {
        Socket unconnected() throws IOException;
    }

    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private DatagramSocket datagrams;
    private Socket stream;
    private long quietUntil;

    SyslogSender(SyslogTarget target, Path caFile, Clock clock) throws IOException, GeneralSecurityException {
        this.target = target;
        this.clock = clock;
        this.streams = switch (target.transport()) {
            case "tls" -> tlsFactory(caFile);
            case "tcp" -> Socket::new;
            default -> null;
        };
    }

    /** Sends one message, or counts it as dropped; never throws, never waits past the connect timeout. */
    synchronized void send(byte[] message) {
        if (clock.millis() < quietUntil) {
            dropped.incrementAndGet();
            return;
        }
        try {
            if (streams == null) {
                sendDatagram(message);
            } else {
                sendFramed(message);
            }
            sent.incrementAndGet();
        } catch (IOException e) {
            dropped.incrementAndGet();
            closeStream();
            quietUntil = clock.millis() + RETRY_AFTER.toMillis();
        }
    }

    private void sendDatagram(byte[] message) throws IOException {
        if (datagrams == null) {
            datagrams = new DatagramSocket();
        }
        byte[] m = message.length > MAX_DATAGRAM ? Arrays.copyOf(message, MAX_DATAGRAM) : message;
        datagrams.send(new DatagramPacket(m, m.length, new InetSocketAddress(target.host(), target.port())));
    }

    private void sendFramed(byte[] message) throws IOException {
        if (stream == null) {
            Socket s = streams.unconnected();
            try {
                s.connect(new InetSocketAddress(target.host(), target.port()), (int) CONNECT_TIMEOUT.toMillis());
                if (s instanceof SSLSocket tls) {
                    tls.startHandshake();
                }
            } catch (IOException e) {
                s.close();
                throw e;
            }
            stream = s;
        }
        OutputStream out = stream.getOutputStream();
        out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(message);
        out.flush();
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // a broken connection; a new one is opened after RETRY_AFTER
            }
            stream = null;
        }
    }

    @Override
    public synchronized void close() {
        closeStream();
        if (datagrams != null) {
            datagrams.close();
        }
    }

    /** Sockets that verify the collector: our CA file or the JDK's trust store, and the host name. */
    private StreamSockets tlsFactory(Path caFile) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile == null) {
            trust.init((KeyStore) null);
        } else {
            KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
            cas.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    cas.setCertificateEntry("ca-" + i++, c);
                }
            }
            if (cas.size() == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
            trust.init(cas);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocketFactory base = context.getSocketFactory();
        String host = target.host();
        return () -> {
            // unconnected: the sender connects with a timeout, then the handshake checks the name
            SSLSocket s = (SSLSocket) base.createSocket();
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host))); // not for an IP literal
            }
            s.setSSLParameters(p);
            return s;
        };
    }
}
