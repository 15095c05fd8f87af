package dev.wirehaven.controlapi.internal.tls;

import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorKeystore;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorPem;
import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own certificate: a PKCS#12 keystore used as it is, or PEM files (the usual output of
 * a CA or of certbot) that the server checks and packs into {@value #KEYSTORE} in {@code <data>/tls},
 * because Jetty reads keystores only. A bad file fails the start with one message that names the file,
 * the configuration key and the fix; nothing is served from a file that did not pass.
 */
final class OperatorCertificate {

    static final String KEYSTORE = "operator.p12";
    static final String PASSWORD = "operator.password";

    private static final Logger LOG = LoggerFactory.getLogger(OperatorCertificate.class);

    private final Path directory;
    private final SecureRandom random;

    /** @param directory {@code <data>/tls}, where PEM files are packed into a keystore */
    OperatorCertificate(Path directory, SecureRandom random) {
        this.directory = directory;
        this.random = random;
    }

    TlsIdentity load(OperatorKeystore source, ConfigOrigin origin) {
        if (origin.file() != null && !source.password().isEmpty()) {
            // etc/*.cfg used to ship rw-r--r--: the password in it was anyone's to read
            Path configuration = Path.of(origin.file());
            if (Files.isRegularFile(configuration)) {
                KeystoreFiles.restrictSecretFile(
                        configuration,
                        "holds " + TlsSettings.KEYSTORE_PASSWORD,
                        "if other users have accounts on this host, give the keystore " + source.file()
                                + " a new password (openssl pkcs12 -in old.p12 -out new.p12 -export, or keytool"
                                + " -storepasswd) and set it here",
                        LOG);
            }
        }
        String file = source.file().toString();
        KeyStore store;
        try {
            store = KeystoreFiles.load(source.file(), source.password());
        } catch (NoSuchFileException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.KEYSTORE,
                    file,
                    "does not exist",
                    "give the path of your PKCS#12 keystore, or remove " + TlsSettings.KEYSTORE
                            + " to use the server's own certificate");
        } catch (AccessDeniedException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.KEYSTORE,
                    file,
                    "cannot be read by the server's user" + " (permission denied)",
                    "make it readable by that user only (chmod 600, chown)");
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.KEYSTORE,
                    file,
                    wrongPassword
                            ? "cannot be opened with " + TlsSettings.KEYSTORE_PASSWORD
                            : "is not a PKCS#12 keystore (" + e.getMessage() + ")",
                    wrongPassword
                            ? "set " + TlsSettings.KEYSTORE_PASSWORD + " to the keystore's password"
                            : "convert it: openssl pkcs12 -export -in cert.pem -inkey key.pem -out server.p12,"
                                    + " or give certificate and privateKey as PEM files instead");
        } catch (GeneralSecurityException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.KEYSTORE,
                    file,
                    "cannot be read: " + e.getMessage(),
                    "export it again as PKCS#12 with a current tool");
        }
        String fix = "keep exactly one private key with its certificate chain in the keystore";
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw TlsStartException.badFile(
                        origin, TlsSettings.KEYSTORE, file, "holds " + keyAliases.size() + " private keys", fix);
            }
            String alias = keyAliases.get(0);
            Key key;
            try {
                key = store.getKey(alias, source.password().toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw TlsStartException.badFile(
                        origin,
                        TlsSettings.KEYSTORE,
                        file,
                        "has a private key that " + TlsSettings.KEYSTORE_PASSWORD + " does not open",
                        "give the key the keystore's password" + " (Jetty opens both with one password)");
            }
            if (!(key instanceof PrivateKey) || !(store.getCertificate(alias) instanceof X509Certificate leaf)) {
                throw TlsStartException.badFile(
                        origin,
                        TlsSettings.KEYSTORE,
                        file,
                        "entry '" + alias + "' is not a private key with an X.509 certificate",
                        fix);
            }
            return new TlsIdentity(
                    source.file(),
                    source.password(),
                    leaf,
                    Fingerprints.sha256(leaf),
                    "the operator's keystore " + file);
        } catch (GeneralSecurityException e) {
            throw TlsStartException.badFile(
                    origin, TlsSettings.KEYSTORE, file, "cannot be read: " + e.getMessage(), fix);
        }
    }

    TlsIdentity load(OperatorPem source, ConfigOrigin origin) {
        List<X509Certificate> chain = certificates(source.certificate(), origin);
        PrivateKey key = privateKey(source.privateKey(), origin);
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf.getPublicKey())) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.PRIVATE_KEY,
                    source.privateKey().toString(),
                    "is not the key of the first certificate in " + source.certificate(),
                    "give the key that the certificate was issued for; the server's certificate comes first in"
                            + " the certificate file, its CA certificates after it");
        }
        Path keystore = directory.resolve(KEYSTORE);
        try {
            OwnerOnlyFiles.createDirectories(directory);
            String password = password();
            if (!holds(keystore, password, key, chain)) {
                OwnerOnlyFiles.replace(
                        keystore, KeystoreFiles.encode(key, chain.toArray(new Certificate[0]), password));
            }
            return new TlsIdentity(
                    keystore,
                    password,
                    leaf,
                    Fingerprints.sha256(leaf),
                    "the operator's certificate " + source.certificate());
        } catch (IOException e) {
            throw TlsStartException.storeFile(
                    keystore.toString(),
                    "cannot be written: " + e.getMessage(),
                    "let the server's user write to " + directory);
        }
    }

    private String password() throws IOException {
        Path file = directory.resolve(PASSWORD);
        if (Files.exists(file)) {
            KeystoreFiles.restrictSecretFile(
                    file,
                    "opens " + directory.resolve(KEYSTORE) + ", the server's copy of your certificate and key",
                    "if other users have accounts on this host, delete " + file + " and "
                            + directory.resolve(KEYSTORE) + " (the server packs your PEM files again with a new"
                            + " password); your private key file itself is not affected",
                    LOG);
            String password = KeystoreFiles.readPassword(file);
            if (!password.isEmpty()) {
                return password;
            }
        }
        String password = KeystoreFiles.newPassword(random);
        KeystoreFiles.writePassword(file, password);
        return password;
    }

    /** True when {@code keystore} opens with {@code password} and holds exactly this key and chain. */
    private static boolean holds(Path keystore, String password, PrivateKey key, List<X509Certificate> chain) {
        if (!Files.exists(keystore)) {
            return false;
        }
        try {
            KeyStore store = KeystoreFiles.load(keystore, password);
            Key kept = store.getKey(KeystoreFiles.ALIAS, password.toCharArray());
            Certificate[] keptChain = store.getCertificateChain(KeystoreFiles.ALIAS);
            return kept != null
                    && Arrays.equals(kept.getEncoded(), key.getEncoded())
                    && keptChain != null
                    && Arrays.equals(keptChain, chain.toArray(new Certificate[0]));
        } catch (IOException | GeneralSecurityException e) {
            // unreadable or from another password: it is written anew
            return false;
        }
    }

    private static List<X509Certificate> certificates(Path file, ConfigOrigin origin) {
        List<X509Certificate> chain = new ArrayList<>();
        String fix = "give the server's certificate in PEM (-----BEGIN CERTIFICATE-----), followed by its CA"
                + " certificates if any";
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (NoSuchFileException e) {
            throw TlsStartException.badFile(origin, TlsSettings.CERTIFICATE, file.toString(), "does not exist", fix);
        } catch (AccessDeniedException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.CERTIFICATE,
                    file.toString(),
                    "cannot be read by the server's user (permission denied)",
                    "make it readable by that user");
        } catch (IOException | CertificateException | RuntimeException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.CERTIFICATE,
                    file.toString(),
                    "is not a PEM certificate file (" + e.getMessage() + ")",
                    fix);
        }
        if (chain.isEmpty()) {
            throw TlsStartException.badFile(
                    origin, TlsSettings.CERTIFICATE, file.toString(), "holds no certificate", fix);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, ConfigOrigin origin) {
        String fix = "give the unencrypted private key in PEM (-----BEGIN PRIVATE KEY-----, or the EC or RSA form)";
        Object item;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            item = parser.readObject();
            while (item != null
                    && !(item instanceof PEMKeyPair)
                    && !(item instanceof PrivateKeyInfo)
                    && !(item instanceof PEMEncryptedKeyPair)
                    && !(item instanceof PKCS8EncryptedPrivateKeyInfo)) {
                // an EC key file often starts with its curve parameters
                item = parser.readObject();
            }
        } catch (NoSuchFileException e) {
            throw TlsStartException.badFile(origin, TlsSettings.PRIVATE_KEY, file.toString(), "does not exist", fix);
        } catch (AccessDeniedException e) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.PRIVATE_KEY,
                    file.toString(),
                    "cannot be read by the server's user (permission denied)",
                    "make it readable by that user only (chmod 600, chown)");
        } catch (IOException | RuntimeException e) {
            // the parser's message never quotes key material, only the structure it expected
            throw TlsStartException.badFile(
                    origin, TlsSettings.PRIVATE_KEY, file.toString(), "is not a PEM private key file", fix);
        }
        if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.PRIVATE_KEY,
                    file.toString(),
                    "is encrypted with a passphrase",
                    "decrypt it for the server: openssl pkey -in " + file.getFileName()
                            + " -out plain.pem (and keep plain.pem owner-only)");
        }
        if (item == null) {
            throw TlsStartException.badFile(
                    origin, TlsSettings.PRIVATE_KEY, file.toString(), "holds no private key", fix);
        }
        PrivateKeyInfo info = item instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) item;
        PrivateKey key = decode(info);
        if (key == null) {
            throw TlsStartException.badFile(
                    origin,
                    TlsSettings.PRIVATE_KEY,
                    file.toString(),
                    "holds a key of a kind Java cannot use",
                    "give an RSA, EC or Ed25519 key");
        }
        return key;
    }

    /**
     * The key in PKCS#8 through the platform's own key factories (BouncyCastle's converter would ask for
     * "ECDSA", a name only its own provider knows, and the server does not install that provider).
     */
    private static PrivateKey decode(PrivateKeyInfo info) {
        byte[] encoded;
        try {
            encoded = info.getEncoded();
        } catch (IOException e) {
            return null;
        }
        try {
            for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
                } catch (GeneralSecurityException e) {
                    // not a key of this algorithm: the next one
                }
            }
            return null;
        } finally {
            // a copy of the secret that nothing needs any more
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** True when a signature made with {@code key} verifies with {@code publicKey}. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "wirehaven key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
