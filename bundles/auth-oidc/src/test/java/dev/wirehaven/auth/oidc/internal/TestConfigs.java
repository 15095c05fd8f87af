package dev.wirehaven.auth.oidc.internal;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Configurations as Configuration Admin and SCR would hand them over: an {@link OidcConfig} whose
 * attributes come from a map, and the annotation's defaults for the rest, so that tests go through
 * {@link OidcConfiguration#from} like the component does.
 */
final class TestConfigs {

    static final ConfigurationOrigin ORIGIN =
            ConfigurationOrigin.of(Map.of("service.pid", "dev.wirehaven.auth.oidc~test"));

    private TestConfigs() {}

    /** {@code values} by attribute name ({@code service_ranking} for service.ranking). */
    static OidcConfig config(Map<String, ?> values) {
        return (OidcConfig) Proxy.newProxyInstance(
                OidcConfig.class.getClassLoader(), new Class<?>[] {OidcConfig.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (values.containsKey(name)) {
                        return values.get(name);
                    }
                    switch (name) {
                        case "annotationType":
                            return OidcConfig.class;
                        case "toString":
                            return "OidcConfig" + values;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return defaultOf(method);
                    }
                });
    }

    static OidcConfiguration settings(Map<String, ?> values) {
        return OidcConfiguration.from(config(values), ORIGIN);
    }

    private static Object defaultOf(Method method) {
        Object value = method.getDefaultValue();
        if (value == null) {
            // a required attribute that the test did not set: as Configuration Admin would, no value
            return method.getReturnType() == String.class ? null : 0;
        }
        return value;
    }
}
