package dev.wirehaven.auth.oidc.internal;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.io.IOException;
import java.time.Clock;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity provider per factory configuration {@value #FACTORY_PID} (for example
 * {@code etc/dev.wirehaven.auth.oidc-corp.config}): checks the configuration, builds the
 * {@link OidcAuthProvider}, tries the provider's discovery once, and registers it as an
 * {@link AuthProvider} service with {@value AuthProvider#METHOD_PROPERTY}{@code =<method>} and the
 * configured {@code service.ranking}.
 *
 * <p>It registers the service itself rather than through DS's {@code service} attribute because the
 * service property {@value AuthProvider#METHOD_PROPERTY} is computed from the configuration key
 * {@code method}, which DS cannot do, and because the service should carry those two properties and
 * the issuer, not every key of the configuration.
 *
 * <p>A configuration that cannot be used fails activation with one ERROR line that names it and the
 * key. A provider that does not answer does not: the service registers and answers UNAVAILABLE until
 * the provider is reachable. A configuration change re-creates the component (no {@code @Modified}):
 * the service goes and comes back with the new settings; logins in progress start over.
 */
@Component(
        configurationPid = OidcProviderComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true)
@Designate(ocd = OidcConfig.class, factory = true)
public final class OidcProviderComponent {

    /** The factory PID: one configuration per identity provider. */
    public static final String FACTORY_PID = "dev.wirehaven.auth.oidc";

    /** Service property with the provider's issuer, for the operator's service listings. */
    static final String ISSUER_PROPERTY = "wirehaven.auth.oidc.issuer";

    private static final Logger LOG = LoggerFactory.getLogger(OidcProviderComponent.class);

    private final OidcAuthProvider provider;
    private final ServiceRegistration<AuthProvider> registration;

    @Activate
    public OidcProviderComponent(BundleContext context, OidcConfig config, Map<String, Object> properties) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        OidcConfiguration settings;
        try {
            settings = OidcConfiguration.from(config, origin);
        } catch (IllegalArgumentException e) {
            // SCR keeps the exception as the component's failure and logs it with a reflection stack
            // trace; this is the line to read
            LOG.error(e.getMessage());
            throw e;
        }
        this.provider = OidcAuthProvider.create(settings, Clock.systemUTC());
        this.registration = context.registerService(AuthProvider.class, provider, serviceProperties(settings));
        LOG.info("Auth method {} ({}) registered from {}", settings.method(), settings.issuer(), origin.describe());
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        try {
            provider.close();
        } catch (IOException e) {
            LOG.warn("Closing {} failed: {}", provider, e.getMessage());
        }
    }

    static Hashtable<String, Object> serviceProperties(OidcConfiguration settings) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(AuthProvider.METHOD_PROPERTY, settings.method());
        // an Integer: the framework ignores any other type of ranking
        props.put(Constants.SERVICE_RANKING, settings.ranking());
        props.put(ISSUER_PROPERTY, settings.issuer().getValue());
        return props;
    }
}
