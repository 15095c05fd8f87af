package dev.wirehaven.auth.ldap.internal;

import dev.wirehaven.api.auth.AuthProvider;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link LdapAuthProvider} per factory configuration of {@value LdapAuthProvider#PID}: it is
 * made when a configuration appears, replaced when it changes, closed when it goes.
 *
 * <p>The component registers the provider itself rather than being the service, because the
 * service must carry {@code wirehaven.auth.method} with the configured method and an
 * {@code Integer} {@code service.ranking}, and Declarative Services publishes configuration
 * properties only under their own names and types ({@code method}; a ranking written without
 * {@code I"..."} in a {@code .config} file would be a String, which the framework ignores).
 */
@Component(
        configurationPid = LdapAuthProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = LdapConfiguration.class, factory = true)
public final class LdapAuthProviderComponent {

    private static final Logger LOG = LoggerFactory.getLogger(LdapAuthProviderComponent.class);

    private final LdapAuthProvider provider;
    private final ServiceRegistration<AuthProvider> registration;

    /**
     * Checks the configuration, reads the CA and password files, and registers the provider.
     *
     * @throws LdapConfigurationException when a value cannot work; nothing is registered then
     */
    @Activate
    public LdapAuthProviderComponent(LdapConfiguration configuration, BundleContext context) {
        LdapAuthProvider made = LdapAuthProvider.from(configuration);
        try {
            this.registration =
                    context.registerService(AuthProvider.class, made, new Hashtable<>(made.serviceProperties()));
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
        this.provider = made;
        LOG.info(
                "LDAP auth method {} serves logins from {}",
                made.method(),
                made.directory().describe());
        if (!made.directory().encrypted()) {
            LOG.warn(
                    "LDAP auth method {}: passwords cross the network in clear text to {}; use ldaps:// or startTls",
                    made.method(),
                    made.directory().describe());
        }
    }

    /** Withdraws the service first, so that no login starts on a closed pool. */
    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        provider.close();
    }
}
