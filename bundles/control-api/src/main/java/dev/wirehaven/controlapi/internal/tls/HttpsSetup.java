package dev.wirehaven.controlapi.internal.tls;

import dev.wirehaven.controlapi.internal.tls.TlsSettings.Generated;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorKeystore;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorPem;
import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the control API on HTTPS: finds or makes the certificate (the server's own in
 * {@code <data>/tls}, or the operator's), publishes it for operators ({@value #CERTIFICATE_PEM} and
 * {@value #FINGERPRINT_FILE} in {@code <data>/tls}), logs its fingerprint, and registers the control
 * API's own HTTPS connector ({@link HttpsConnector}) as a {@link ConnectorFactory}, which Felix HTTP
 * Jetty adds to its Jetty. Through Configuration Admin it keeps Felix's own HTTPS connector off and
 * gives Felix's plain HTTP connector the same listen address (see {@link FelixHttpSettings}), writing
 * only when that differs from what Felix has.
 *
 * <p>Configured by {@value TlsSettings#PID}; without a configuration it uses the defaults. A change of
 * the configuration activates the component anew: Felix stops the old connector when its service goes
 * and adds the new one, and Jetty itself restarts only if the listen address changed. Deactivation
 * leaves Felix's settings in place: a server that stops must not restart Jetty on the way out, and the
 * next start writes the same values.
 *
 * <p>A configuration or file that cannot be used fails activation with one {@link TlsStartException}
 * and one ERROR line of the same words; then there is no HTTPS connector. The {@link HttpsEndpoint}
 * and {@link ConnectorFactory} services are registered by the component itself once all went well, not
 * declared: a declared service would let every consumer's lookup retry the failed activation and log
 * the same error again.
 */
@Component(
        configurationPid = TlsSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {},
        immediate = true)
@Designate(ocd = TlsConfig.class)
public final class HttpsSetup implements HttpsEndpoint {

    static final String DIRECTORY = "tls";
    static final String CERTIFICATE_PEM = "certificate.pem";
    static final String FINGERPRINT_FILE = "fingerprint";
    /** The key's fingerprint ({@code SHA256:<base64>}), which clients pin. */
    static final String KEY_FINGERPRINT_FILE = "key-fingerprint";
    /** Framework property that names the server's data directory. */
    static final String DATA_PROPERTY = "wirehaven.data";
    /** How long before expiry the server starts to warn. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(HttpsSetup.class);

    private final TlsSettings settings;
    private final TlsIdentity identity;
    private final HttpsConnector connector;
    private ServiceRegistration<ConnectorFactory> connectorRegistration;
    private ServiceRegistration<HttpsEndpoint> registration;

    @Activate
    public HttpsSetup(
            BundleContext context, Map<String, Object> properties, @Reference ConfigurationAdmin configurationAdmin) {
        this(
                properties,
                dataDirectory(context.getProperty(DATA_PROPERTY)),
                context.getProperty(TlsSettings.PORT_PROPERTY),
                configurationAdmin,
                Clock.systemUTC(),
                new SecureRandom(),
                SubjectNames::ofThisHost);
        this.connectorRegistration = context.registerService(ConnectorFactory.class, connector, null);
        this.registration = context.registerService(HttpsEndpoint.class, this, null);
    }

    HttpsSetup(
            Map<String, ?> properties,
            Path dataDirectory,
            String portProperty,
            ConfigurationAdmin configurationAdmin,
            Clock clock,
            SecureRandom random,
            Supplier<List<String>> hostNames) {
        try {
            this.settings = TlsSettings.from(properties, TlsSettings.defaultPort(portProperty), dataDirectory);
            Path directory = dataDirectory.resolve(DIRECTORY);
            this.identity = identity(settings, directory, clock, random, hostNames);
            publish(directory, identity);
            warnIfExpiring(identity, clock.instant());
            LOG.info("TLS certificate SHA-256 fingerprint: {}", identity.fingerprint());
            LOG.info(
                    "TLS key fingerprint (clients pin it; it stays when the certificate is renewed with the same key):"
                            + " {}",
                    Fingerprints.keySha256(identity.certificate()));
            applyToFelixHttp(configurationAdmin);
            this.connector = new HttpsConnector(settings, identity);
            LOG.info(
                    "Control API: https://{}:{}/api/v1 with {} (accept queue {})",
                    TlsSettings.ALL_ADDRESSES.equals(settings.host()) ? "<any address of this host>" : settings.host(),
                    settings.port(),
                    identity.description(),
                    settings.backlog());
        } catch (TlsStartException e) {
            // SCR keeps the exception as the component's failure and logs it with a reflection stack
            // trace of its own; this is the line to read
            LOG.error(e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        unregister(registration);
        // Felix stops the connector and removes it from Jetty
        unregister(connectorRegistration);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
    }

    @Override
    public int port() {
        return settings.port();
    }

    @Override
    public String fingerprint() {
        return identity.fingerprint();
    }

    private static TlsIdentity identity(
            TlsSettings settings, Path directory, Clock clock, SecureRandom random, Supplier<List<String>> hostNames) {
        if (settings.identity() instanceof OperatorKeystore keystore) {
            return new OperatorCertificate(directory, random).load(keystore, settings.origin());
        }
        if (settings.identity() instanceof OperatorPem pem) {
            return new OperatorCertificate(directory, random).load(pem, settings.origin());
        }
        return new ServerCertificate(directory, clock, random, hostNames)
                .loadOrCreate(((Generated) settings.identity()).names());
    }

    /** Writes the certificate and its fingerprint where operators and scripts find them. */
    static void publish(Path directory, TlsIdentity identity) {
        Path pem = directory.resolve(CERTIFICATE_PEM);
        Path fingerprint = directory.resolve(FINGERPRINT_FILE);
        try {
            OwnerOnlyFiles.createDirectories(directory);
            OwnerOnlyFiles.replaceIfDifferent(pem, identity.certificatePem());
            OwnerOnlyFiles.replaceIfDifferent(
                    fingerprint, (identity.fingerprint() + "\n").getBytes(StandardCharsets.US_ASCII));
            OwnerOnlyFiles.replaceIfDifferent(
                    directory.resolve(KEY_FINGERPRINT_FILE),
                    (Fingerprints.keySha256(identity.certificate()) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw TlsStartException.storeFile(
                    directory.toString(),
                    "cannot take " + CERTIFICATE_PEM + " and " + FINGERPRINT_FILE + ": " + e.getMessage(),
                    "let the server's user write to " + directory);
        }
    }

    private static void warnIfExpiring(TlsIdentity identity, Instant now) {
        Instant notAfter = identity.certificate().getNotAfter().toInstant();
        if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn(
                    "The TLS certificate ({}) {} on {}; clients may refuse it. Renew it, or for the server's own"
                            + " certificate delete {} and let clients accept the new fingerprint",
                    identity.description(),
                    notAfter.isBefore(now) ? "expired" : "expires",
                    notAfter,
                    identity.keystore());
        }
    }

    private void applyToFelixHttp(ConfigurationAdmin configurationAdmin) {
        Map<String, Object> wanted = FelixHttpSettings.of(settings);
        try {
            // "?": a multi-location configuration, so that it reaches Felix HTTP and not this bundle
            Configuration configuration = configurationAdmin.getConfiguration(FelixHttpSettings.PID, "?");
            List<String> changed = FelixHttpSettings.differences(configuration.getProperties(), wanted);
            if (changed.isEmpty()) {
                LOG.debug("Settings of {} are current", FelixHttpSettings.PID);
                return;
            }
            configuration.update(FelixHttpSettings.merged(configuration.getProperties(), wanted));
            LOG.info(
                    "Settings of {} written (its own HTTPS off, the listen address; changed: {}); Felix HTTP"
                            + " restarts Jetty with them",
                    FelixHttpSettings.PID,
                    String.join(", ", changed));

        } catch (IOException e) {
            throw new TlsStartException("HTTPS not started: the configuration " + FelixHttpSettings.PID
                    + " of Felix HTTP cannot be written: " + e.getMessage() + "; check that the data directory"
                    + " (felix.cm.dir) is writable");
        }
    }

    private static Path dataDirectory(String configured) {
        String location = configured == null || configured.isBlank() ? "data" : configured.trim();
        return Path.of(location).toAbsolutePath().normalize();
    }
}
