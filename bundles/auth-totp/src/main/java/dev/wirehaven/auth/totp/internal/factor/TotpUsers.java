package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.auth.totp.internal.crypto.TotpKeyFile;
import dev.wirehaven.auth.totp.internal.store.TotpRepository;
import dev.wirehaven.auth.totp.internal.store.TotpSchema;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.server.support.files.DataDirectory;
import dev.wirehaven.server.support.store.SchemaMigrations;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users' authenticators over whichever store is registered ({@code DataSource} with
 * {@code wirehaven.store=*}; {@code store.target} in the configuration picks one), with the bundle's key from {@code <data>/totp.key} and the configuration
 * {@value TotpSettings#PID}: shared by the {@code totp} auth provider and the Gogo commands, so that both
 * see the same keys and settings.
 *
 * <p>Activation brings the store's {@code totp} track up to date, because nothing may ask the tables
 * before they exist. A configuration with a wrong value stops the component (and with it the provider)
 * with a message naming the key: logins that need {@code totp} are then refused as unavailable, never let
 * through without it.
 */
@Component(
        service = TotpUsers.class,
        configurationPid = TotpSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TotpConfig.class)
public final class TotpUsers {

    private static final Logger LOG = LoggerFactory.getLogger(TotpUsers.class);

    private final TotpRepository repository;
    private final Keyring keyring;
    private final TotpSettings settings;
    private final Path dataDirectory;
    private final SecureRandom random;
    private final Clock clock;
    private final Verification verification;

    @Activate
    public TotpUsers(
            BundleContext context,
            Map<String, Object> properties,
            TotpConfig config,
            @Reference(name = "store", target = "(wirehaven.store=*)") DataSource store) {
        this(
                store,
                DataDirectory.of(context.getProperty(DataDirectory.PROPERTY)),
                settings(properties, config),
                new SecureRandom(),
                Clock.systemUTC());
        migrate(store);
    }

    TotpUsers(DataSource store, Path dataDirectory, TotpSettings settings, SecureRandom random, Clock clock) {
        this.repository = new TotpRepository(store);
        this.keyring = new Keyring(TotpKeyFile.in(dataDirectory), repository, random);
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.random = random;
        this.clock = clock;
        this.verification = new Verification(repository, keyring, random, clock, settings.windowSteps());
    }

    private static TotpSettings settings(Map<String, Object> properties, TotpConfig config) {
        try {
            return TotpSettings.of(config);
        } catch (IllegalArgumentException e) {
            String message = "The TOTP second factor refuses its "
                    + ConfigurationOrigin.of(properties).describe() + ": " + e.getMessage();
            LOG.error("TOTP second factor not started: {}", message);
            throw new IllegalArgumentException(message, e);
        }
    }

    /** Applies the migrations of the {@code totp} track that the store lacks. */
    static void migrate(DataSource store) {
        new SchemaMigrations(store, TotpSchema.TRACK, Clock.systemUTC()).migrate();
    }

    Verification verification() {
        return verification;
    }

    TotpRepository repository() {
        return repository;
    }

    /** The enrollment operations, whose hints name the commands as {@code command} does. */
    Enrollment enrollment(UnaryOperator<String> command) {
        return new Enrollment(repository, keyring, settings, dataDirectory, random, clock, command);
    }
}
