package dev.wirehaven.client.internal.trust;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one certificate per server, by its SHA-256 fingerprint: the one given by the user
 * ({@code --fingerprint}), else the one recorded in the known-servers file, else (trust on first
 * use) the one presented now, which is then recorded. A different certificate is refused with a
 * message that names both fingerprints and the way out.
 *
 * <p>Hostname verification and the CA chain are replaced by the pin on purpose: the server's
 * certificate is self-signed at its first start, for whatever name it had then, and clients reach
 * it by an address or a name that the certificate need not carry. The fingerprint identifies the
 * exact certificate, which is stronger than any name check: nobody else can present it without
 * the server's private key. This class extends {@link X509ExtendedTrustManager} so that the JDK
 * does not wrap it with its own endpoint identification (it does for a plain X509TrustManager when
 * the connection asks for HTTPS identification, as {@code java.net.http.HttpClient} does).
 * Validity dates are not checked either: like an SSH host key, a pinned certificate stays trusted
 * until the operator replaces it.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {

    private final ServerAddress server;
    private final Fingerprint given;
    private final KnownServers knownServers;
    private final Consumer<String> notices;

    /**
     * @param given the fingerprint the user gave, or {@code null} to go by the known-servers file
     * @param notices told once when a fingerprint is recorded (first use, or a given one replacing another)
     */
    public PinningTrustManager(
            ServerAddress server, Fingerprint given, KnownServers knownServers, Consumer<String> notices) {
        this.server = Objects.requireNonNull(server, "server");
        this.given = given;
        this.knownServers = Objects.requireNonNull(knownServers, "knownServers");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /** Decides on the certificate chain that the server presented. */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateNotTrustedException(server + " presented no certificate");
        }
        Fingerprint presented = Fingerprint.of(chain[0]);
        Optional<Fingerprint> known;
        try {
            known = knownServers.lookup(server);
        } catch (IOException e) {
            throw new CertificateException(e.getMessage(), e);
        }
        if (given != null) {
            if (!given.equals(presented)) {
                throw new CertificateNotTrustedException(
                        "The certificate of " + server + " has the SHA-256 fingerprint "
                                + presented + ", not the one given (" + given + "). Someone may be intercepting the"
                                + " connection, or the fingerprint is from another server; check it with the server's operator"
                                + " (the server prints it at its first start and keeps it in data/tls/fingerprint).");
            }
            if (!known.equals(Optional.of(presented))) {
                record(
                        presented,
                        known.isPresent()
                                ? "Replaced the recorded certificate of " + server + " with the given one, " + presented
                                : "Recorded the certificate of " + server + " (" + presented + ")");
            }
            return;
        }
        if (known.isEmpty()) {
            record(
                    presented,
                    "Trusting " + server + " on first use: its certificate's SHA-256 fingerprint is " + presented
                            + "; compare it with the one the server printed. Recorded in " + knownServers.file());
            return;
        }
        if (!known.get().equals(presented)) {
            throw new CertificateNotTrustedException("The certificate of " + server + " has CHANGED: it was "
                    + known.get()
                    + ", it is now " + presented + ". Someone may be intercepting the connection. If the server's"
                    + " certificate was replaced on purpose, confirm the new fingerprint with its operator and connect"
                    + " with --fingerprint " + presented + " (or remove " + server + " from " + knownServers.file()
                    + ").");
        }
    }

    private void record(Fingerprint presented, String notice) throws CertificateException {
        try {
            knownServers.record(server, presented);
        } catch (IOException e) {
            throw new CertificateException(
                    "cannot record the certificate of " + server + " in " + knownServers.file() + ": " + e.getMessage(),
                    e);
        }
        notices.accept(notice);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a Wirehaven client does not accept TLS connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
