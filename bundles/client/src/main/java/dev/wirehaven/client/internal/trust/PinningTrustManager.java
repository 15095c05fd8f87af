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
 * Trusts exactly one public key per server, by the SHA-256 of its SubjectPublicKeyInfo
 * ({@link Fingerprint}): the one given by the user ({@code --fingerprint}), else the one recorded in the
 * known-servers file, else (trust on first use, where allowed) the one presented now, which is then
 * recorded. A renewed certificate with the same key is accepted as it is; a different key is refused
 * with a message that names both fingerprints and the way out. Where trust on first use is not
 * allowed (the command line without a person to confirm the key), an unknown server is refused with
 * {@link CertificateNotTrustedException#unknownServer()} set and the presented key's fingerprint, so
 * that a caller with a person at hand can ask and then connect with it given.
 *
 * <p>A pin that an older client recorded (the certificate's hex fingerprint) is still honoured: when
 * the server presents that certificate, its key's fingerprint replaces the pin.
 *
 * <p>Hostname verification and the CA chain are replaced by the pin on purpose: the server's
 * certificate is self-signed at its first start, for whatever name it had then, and clients reach
 * it by an address or a name that the certificate need not carry. The key identifies the server more
 * strongly than any name check: nobody else can complete the handshake with it without the server's
 * private key. This class extends {@link X509ExtendedTrustManager} so that the JDK does not wrap it
 * with its own endpoint identification (it does for a plain X509TrustManager when the connection asks
 * for HTTPS identification, as {@code java.net.http.HttpClient} does). Validity dates are not checked
 * either: like an SSH host key, a pinned key stays trusted until the operator replaces it.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {

    private final ServerAddress server;
    private final Fingerprint given;
    private final KnownServers knownServers;
    private final boolean trustOnFirstUse;
    private final Consumer<String> notices;

    /** Trusting an unknown server on first use, as the SDK does by default. */
    public PinningTrustManager(
            ServerAddress server, Fingerprint given, KnownServers knownServers, Consumer<String> notices) {
        this(server, given, knownServers, true, notices);
    }

    /**
     * @param given the fingerprint the user gave, or {@code null} to go by the known-servers file
     * @param trustOnFirstUse whether a server that is neither given nor recorded is trusted and recorded
     * @param notices told once when a fingerprint is recorded (first use, a given one replacing another,
     *        a certificate's pin replaced by its key's)
     */
    public PinningTrustManager(
            ServerAddress server,
            Fingerprint given,
            KnownServers knownServers,
            boolean trustOnFirstUse,
            Consumer<String> notices) {
        this.server = Objects.requireNonNull(server, "server");
        this.given = given;
        this.knownServers = Objects.requireNonNull(knownServers, "knownServers");
        this.trustOnFirstUse = trustOnFirstUse;
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /** Decides on the certificate chain that the server presented: only its own certificate counts. */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateNotTrustedException(server + " presented no certificate");
        }
        X509Certificate certificate = chain[0];
        Fingerprint presented = Fingerprint.ofKey(certificate);
        Optional<Fingerprint> known;
        try {
            known = knownServers.lookup(server);
        } catch (IOException e) {
            throw new CertificateException(e.getMessage(), e);
        }
        if (given != null) {
            if (!given.matches(certificate)) {
                throw new CertificateNotTrustedException(
                        "The server " + server + " presents the key " + presented + " (its certificate is "
                                + Fingerprint.ofCertificate(certificate).hex() + "), not the one given (" + given
                                + "). Someone may be intercepting the connection, or the fingerprint is from"
                                + " another server; check it with the server's operator.",
                        presented,
                        false);
            }
            if (!known.equals(Optional.of(presented))) {
                record(
                        presented,
                        known.isPresent()
                                ? "Replaced the recorded key of " + server + " (" + known.get() + ") with the given"
                                        + " one, " + presented
                                : "Recorded the key of " + server + " (" + presented + ") in " + knownServers.file());
            }
            return;
        }
        if (known.isEmpty()) {
            if (!trustOnFirstUse) {
                throw new CertificateNotTrustedException(
                        server + " is not a known server (nothing is recorded for it in " + knownServers.file()
                                + ") and its key cannot be confirmed here. It presents the key " + presented
                                + ": ask the server's operator for its key fingerprint, compare, and give it with"
                                + " --fingerprint.",
                        presented,
                        true);
            }
            record(
                    presented,
                    "Trusting " + server + " on first use: its key fingerprint is " + presented
                            + "; compare it with the one the server's operator gave. Recorded in "
                            + knownServers.file());
            return;
        }
        Fingerprint pin = known.get();
        if (pin.matches(certificate)) {
            if (!pin.isKey()) {
                record(
                        presented,
                        "Recorded " + server + " by its key fingerprint " + presented
                                + " instead of its certificate's (" + pin
                                + "): a renewed certificate with the same key is accepted from now on");
            }
            return;
        }
        throw new CertificateNotTrustedException(
                "The key of " + server + " has CHANGED: it was " + pin
                        + (pin.isKey() ? "" : " (the fingerprint of its former certificate)") + ", it is now "
                        + presented + ". Someone may be intercepting the connection. If the server's key was"
                        + " replaced on purpose, check the new fingerprint with its operator, then connect with"
                        + " --fingerprint " + presented + " (or remove " + server + " from " + knownServers.file()
                        + ").",
                presented,
                false);
    }

    private void record(Fingerprint presented, String notice) throws CertificateException {
        try {
            knownServers.record(server, presented);
        } catch (IOException e) {
            throw new CertificateException(
                    "cannot record the key of " + server + " in " + knownServers.file() + ": " + e.getMessage(), e);
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
