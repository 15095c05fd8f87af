package dev.wirehaven.auth.ldap.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link LdapConfiguration} as Declarative Services makes it from a configuration: the given
 * keys (the annotation's method names), the annotation's defaults for the others.
 */
final class TestConfiguration {

    private final Map<String, Object> values = new HashMap<>();

    /** Starts from the defaults and {@code urls}, the one key without a default. */
    static TestConfiguration urls(String... urls) {
        return new TestConfiguration().with("urls", urls);
    }

    /** Sets a key; a String for a String[] key is one element. */
    TestConfiguration with(String key, Object value) {
        Method m;
        try {
            m = LdapConfiguration.class.getMethod(key);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("LdapConfiguration has no key " + key, e);
        }
        values.put(key, m.getReturnType() == String[].class && value instanceof String s ? new String[] {s} : value);
        return this;
    }

    /** Removes a key, so that its default applies. */
    TestConfiguration without(String key) {
        values.remove(key);
        return this;
    }

    LdapConfiguration build() {
        Map<String, Object> snapshot = Map.copyOf(values);
        return (LdapConfiguration) Proxy.newProxyInstance(
                LdapConfiguration.class.getClassLoader(),
                new Class<?>[] {LdapConfiguration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> LdapConfiguration.class;
                    case "toString" -> "LdapConfiguration" + snapshot;
                    case "hashCode" -> snapshot.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> {
                        Object value = snapshot.containsKey(method.getName())
                                ? snapshot.get(method.getName())
                                : method.getDefaultValue();
                        if (value == null) {
                            throw new IllegalStateException(method.getName() + " has no value and no default");
                        }
                        yield value;
                    }
                });
    }

    /** Builds the provider of this configuration. */
    LdapAuthProvider provider() {
        return LdapAuthProvider.from(build());
    }
}
