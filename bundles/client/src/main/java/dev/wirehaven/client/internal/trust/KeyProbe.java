package dev.wirehaven.client.internal.trust;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Learns the key that an unknown server presents, so that a person can confirm it before anything is
 * trusted or sent: one TLS handshake through a {@link PinningTrustManager} that refuses an unknown
 * server, whose refusal carries the presented key. Nothing is sent over the connection. When the
 * handshake succeeds the server is known (recorded meanwhile) and there is nothing to confirm; a
 * server whose key changed is refused as any connection would refuse it.
 */
public final class KeyProbe {

    private KeyProbe() {}

    /**
     * The key fingerprint that {@code server} presents when nothing is recorded for it in {@code known};
     * empty when it is known and its key matches.
     *
     * @throws ClientException {@link Reason#UNTRUSTED_CERTIFICATE} when its key is not the recorded one,
     *         {@link Reason#UNREACHABLE} when the TLS handshake cannot be made
     */
    public static Optional<Fingerprint> unknownServersKey(URI server, KnownServers known, Duration timeout)
            throws IOException {
        ServerAddress address = ServerAddress.of(server);
        SSLContext ssl;
        try {
            ssl = SSLContext.getInstance("TLS");
            ssl.init(
                    null,
                    new TrustManager[] {new PinningTrustManager(address, null, known, false, notice -> {})},
                    new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make a TLS context: " + e.getMessage(), e);
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket()) {
            serverName(socket, address.host());
            socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
            socket.setSoTimeout(millis);
            socket.startHandshake();
            return Optional.empty();
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateNotTrustedException refused) {
                    if (refused.unknownServer() && refused.presentedKey() != null) {
                        return Optional.of(refused.presentedKey());
                    }
                    throw new ClientException(Reason.UNTRUSTED_CERTIFICATE, refused.getMessage(), e);
                }
            }
            throw new ClientException(
                    Reason.UNREACHABLE,
                    "cannot reach " + server + " to learn its key: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    e);
        }
    }

    /** SNI as the HTTPS client sends it (the server checks it), for a name; an address literal has none. */
    private static void serverName(SSLSocket socket, String host) {
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            return;
        }
        try {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(p);
        } catch (IllegalArgumentException e) {
            // not a name SNI can carry; the handshake goes without, as the HTTPS client's would
        }
    }
}
