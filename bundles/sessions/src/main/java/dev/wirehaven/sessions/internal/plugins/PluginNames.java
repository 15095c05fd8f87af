package dev.wirehaven.sessions.internal.plugins;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds a printable name for a plugin service. The plugin's own answer ({@code method()},
 * {@code name()}) comes first; when it fails or is blank, the api's naming service property, then
 * the DS component name. Control characters are replaced, because the name comes from third-party
 * code and ends up in log lines and the console.
 */
final class PluginNames {

    static final String UNNAMED = "(unnamed)";

    private PluginNames() {}

    static String nameOf(Supplier<String> ownName, String namingProperty, Map<String, Object> properties) {
        String name;
        try {
            name = ownName.get();
        } catch (RuntimeException e) {
            // a plugin's bug must not stop it from being listed; the server reports the failure when it calls the
            // plugin
            name = null;
        }
        if (isBlank(name)) {
            name = stringProperty(properties, namingProperty);
        }
        if (isBlank(name)) {
            name = stringProperty(properties, "component.name");
        }
        return isBlank(name) ? UNNAMED : printable(name);
    }

    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static String stringProperty(Map<String, Object> properties, String key) {
        Object v = properties.get(key);
        return v instanceof String s ? s : null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
