package dev.wirehaven.controlapi.internal.tls;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own TLS identity in {@code <data>/tls}: a self-signed certificate and its key in
 * {@value #KEYSTORE}, opened by the random password in {@value #PASSWORD}, both owner-only. Made on the
 * first start, reused on every later one, so that the fingerprint that clients pinned stays valid.
 *
 * <p>The keystore is the identity: when it exists it is used (or its failure reported), when it does
 * not a new one is made, its password written first. A crash between the two files therefore leaves a
 * password without keystore, which the next start simply replaces.
 *
 * <p>It is made anew in one case only: the operator listed {@code names} and the certificate names
 * others. A certificate made for the host's default names is kept even when the host gains an
 * address; the server warns that clients using it will be refused.
 */
final class ServerCertificate {

    static final String KEYSTORE = "keystore.p12";
    static final String PASSWORD = "keystore.password";

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    private final Path directory;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<List<String>> hostNames;

    /**
     * @param directory {@code <data>/tls}
     * @param hostNames the names and addresses of this host (see {@link SubjectNames#ofThisHost()})
     */
    ServerCertificate(Path directory, Clock clock, SecureRandom random, Supplier<List<String>> hostNames) {
        this.directory = directory;
        this.clock = clock;
        this.random = random;
        this.hostNames = hostNames;
    }

    Path keystore() {
        return directory.resolve(KEYSTORE);
    }

    Path passwordFile() {
        return directory.resolve(PASSWORD);
    }

    /**
     * The identity, made first when there is none.
     *
     * @param configuredNames the operator's {@code names}; empty for this host's names
     * @throws TlsStartException when the kept identity cannot be read, naming the file and the fix
     */
    TlsIdentity loadOrCreate(List<String> configuredNames) {
        try {
            OwnerOnlyFiles.createDirectories(directory);
            if (!OwnerOnlyFiles.isOwnerOnly(directory)) {
                LOG.warn(
                        "The directory {} can be read by other users; it holds the server's TLS key. Run: chmod 700 {}",
                        directory,
                        directory);
            }
        } catch (IOException e) {
            throw TlsStartException.storeFile(
                    directory.toString(),
                    "cannot be created: " + e.getMessage(),
                    "let the server's user write to the data directory");
        }
        if (!Files.exists(keystore())) {
            return create(configuredNames.isEmpty() ? hostNames.get() : configuredNames);
        }
        TlsIdentity kept = load();
        if (!configuredNames.isEmpty()) {
            Set<String> wanted = configuredNames.stream()
                    .map(SubjectNames::canonical)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!wanted.equals(new TreeSet<>(SubjectNames.of(kept.certificate())))) {
                LOG.warn(
                        "The TLS certificate in {} names {}, the configuration names {}: making a new certificate."
                                + " Clients that pinned the old fingerprint {} must accept the new one.",
                        keystore(),
                        SubjectNames.of(kept.certificate()),
                        configuredNames,
                        kept.fingerprint());
                deleteKeystore();
                return create(configuredNames);
            }
        } else {
            List<String> missing = SubjectNames.missing(kept.certificate(), hostNames.get());
            if (!missing.isEmpty()) {
                LOG.warn(
                        "The TLS certificate in {} does not name {} of this host: clients that connect by these"
                                + " get 400 Invalid SNI. List every name and address clients use in 'names' of the"
                                + " configuration {} (the server then makes a new certificate, with a new fingerprint).",
                        keystore(),
                        missing,
                        TlsSettings.PID);
            }
        }
        return kept;
    }

    private TlsIdentity create(List<String> names) {
        SelfSignedCertificates.Identity made = SelfSignedCertificates.create(names, clock, random);
        String password = KeystoreFiles.newPassword(random);
        try {
            KeystoreFiles.writePassword(passwordFile(), password);
            OwnerOnlyFiles.replace(
                    keystore(),
                    KeystoreFiles.encode(
                            made.keyPair().getPrivate(), new Certificate[] {made.certificate()}, password));
        } catch (IOException e) {
            throw TlsStartException.storeFile(
                    keystore().toString(),
                    "cannot be written: " + e.getMessage(),
                    "let the server's user write to " + directory);
        }
        LOG.info(
                "Created a self-signed TLS certificate for {} in {}, valid until {}",
                names,
                keystore(),
                made.certificate().getNotAfter().toInstant());
        return identity(made.certificate(), password, "the server's own certificate, created now");
    }

    private TlsIdentity load() {
        String fix = "delete " + directory + " to have a new certificate made at the next start (clients must then"
                + " accept its new fingerprint), or configure your own certificate in the configuration "
                + TlsSettings.PID;
        String password;
        try {
            password = KeystoreFiles.readPassword(passwordFile());
        } catch (NoSuchFileException e) {
            throw TlsStartException.storeFile(passwordFile().toString(), "is missing beside " + KEYSTORE, fix);
        } catch (AccessDeniedException e) {
            throw TlsStartException.storeFile(
                    passwordFile().toString(),
                    "cannot be read by the server's user" + " (permission denied)",
                    "run the server as the user that owns " + directory + ", or " + fix);
        } catch (IOException e) {
            throw TlsStartException.storeFile(passwordFile().toString(), "cannot be read: " + e.getMessage(), fix);
        }
        String advice = "if other users have accounts on this host, " + fix;
        KeystoreFiles.restrictSecretFile(passwordFile(), "opens the server's TLS key", advice, LOG);
        KeystoreFiles.restrictSecretFile(keystore(), "holds the server's TLS key", advice, LOG);
        try {
            KeyStore store = KeystoreFiles.load(keystore(), password);
            if (!store.isKeyEntry(KeystoreFiles.ALIAS)
                    || !(store.getCertificate(KeystoreFiles.ALIAS) instanceof X509Certificate certificate)) {
                throw TlsStartException.storeFile(
                        keystore().toString(),
                        "holds no key '" + KeystoreFiles.ALIAS + "' with an X.509 certificate",
                        fix);
            }
            return identity(certificate, password, "the server's own certificate from " + keystore());
        } catch (AccessDeniedException e) {
            throw TlsStartException.storeFile(
                    keystore().toString(),
                    "cannot be read by the server's user" + " (permission denied)",
                    "run the server as the user that owns " + directory + ", or " + fix);
        } catch (IOException | GeneralSecurityException e) {
            throw TlsStartException.storeFile(
                    keystore().toString(),
                    "cannot be opened with the password in " + PASSWORD + " (" + e.getMessage() + ")",
                    fix);
        }
    }

    private TlsIdentity identity(X509Certificate certificate, String password, String description) {
        return new TlsIdentity(keystore(), password, certificate, Fingerprints.sha256(certificate), description);
    }

    private void deleteKeystore() {
        try {
            // the keystore goes first: without it, the state is "no identity yet" whatever happens next
            Files.delete(keystore());
        } catch (IOException e) {
            throw TlsStartException.storeFile(
                    keystore().toString(),
                    "cannot be replaced: " + e.getMessage(),
                    "let the server's user write to " + directory);
        }
    }
}
