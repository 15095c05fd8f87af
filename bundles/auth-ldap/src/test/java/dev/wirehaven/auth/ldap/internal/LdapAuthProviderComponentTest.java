package dev.wirehaven.auth.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthProvider;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/** The component registers one provider per configuration, with the properties realms select on. */
class LdapAuthProviderComponentTest {

    /** What the component did to the framework, through a BundleContext that records it. */
    private static final class Framework {
        final List<Object> services = new ArrayList<>();
        final List<Dictionary<?, ?>> properties = new ArrayList<>();
        int unregistered;

        BundleContext context() {
            ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, args) -> {
                        if (m.getName().equals("unregister")) {
                            unregistered++;
                            return null;
                        }
                        throw new UnsupportedOperationException(m.getName());
                    });
            return (BundleContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                        if (m.getName().equals("registerService") && args[0] == AuthProvider.class) {
                            services.add(args[1]);
                            properties.add((Dictionary<?, ?>) args[2]);
                            return registration;
                        }
                        throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @Test
    void aConfigurationRegistersItsProviderUntilItIsDeactivated() {
        Framework framework = new Framework();
        LdapAuthProviderComponent component = new LdapAuthProviderComponent(
                TestConfiguration.urls("ldap://127.0.0.1:1")
                        .with("method", "corp")
                        .with("service_ranking", 5)
                        .with("userSearchBase", "ou=people,dc=example,dc=com")
                        .build(),
                framework.context());
        assertEquals(1, framework.services.size());
        LdapAuthProvider provider = assertInstanceOf(LdapAuthProvider.class, framework.services.get(0));
        assertEquals("corp", provider.method());
        Dictionary<?, ?> properties = framework.properties.get(0);
        assertEquals("corp", properties.get(AuthProvider.METHOD_PROPERTY));
        assertEquals(Integer.valueOf(5), properties.get(Constants.SERVICE_RANKING));

        component.deactivate();
        assertEquals(1, framework.unregistered);
    }

    @Test
    void aConfigurationThatCannotWorkRegistersNothing() {
        Framework framework = new Framework();
        LdapConfigurationException e = assertThrows(
                LdapConfigurationException.class,
                () -> new LdapAuthProviderComponent(
                        TestConfiguration.urls("gopher://example.com")
                                .with("userSearchBase", "ou=people,dc=example,dc=com")
                                .build(),
                        framework.context()));
        assertTrue(e.getMessage().contains("urls"), e.getMessage());
        assertEquals(List.of(), framework.services);
    }
}
