package dev.wirehaven.monitor.threats.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A typed configuration (an {@code @ObjectClassDefinition} annotation) made from values, with the
 * annotation's defaults for the others.
 *
 * <p>The detectors take their configuration as properties and type it here rather than letting
 * Declarative Services do it: a value of the wrong type ({@code threshold = ten}) would otherwise fail
 * the component's activation or modification, and the detector would stop instead of keeping its last
 * good configuration. Property names follow the Declarative Services rule the metatype uses:
 * {@code source_threshold()} is {@code source.threshold}.
 */
final class TypedConfig {

    private TypedConfig() {}

    /** The configuration with {@code values} by attribute method name; what tests use. */
    static <A extends Annotation> A of(Class<A> type, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (name.equals("toString")) {
                return type.getSimpleName() + values;
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(p);
            }
            if (name.equals("equals")) {
                return p == args[0];
            }
            return values.containsKey(name) ? values.get(name) : method.getDefaultValue();
        });
        return type.cast(proxy);
    }

    /** The configuration from component properties; a value that is not of its attribute's type is refused. */
    static <A extends Annotation> A fromProperties(String pid, Class<A> type, Map<String, ?> properties)
            throws BadSetting {
        Map<String, Object> values = new HashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            String key = m.getName().replace('_', '.');
            Object value = properties.get(key);
            if (value != null) {
                values.put(m.getName(), coerce(pid, key, value, m.getReturnType()));
            }
        }
        return of(type, values);
    }

    private static Object coerce(String pid, String key, Object value, Class<?> to) throws BadSetting {
        if (to == String.class && !value.getClass().isArray()) {
            return String.valueOf(value);
        }
        String text = String.valueOf(value).strip();
        try {
            if (to == boolean.class) {
                if (value instanceof Boolean b) {
                    return b;
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
                }
            } else if (to == long.class) {
                return value instanceof Number n && n.doubleValue() == n.longValue()
                        ? n.longValue()
                        : Long.parseLong(text);
            } else if (to == int.class) {
                return value instanceof Number n && n.doubleValue() == n.intValue()
                        ? n.intValue()
                        : Integer.parseInt(text);
            } else if (to == double.class) {
                return value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        String kind = to == boolean.class ? "true or false" : to == double.class ? "a number" : "a whole number";
        throw new BadSetting(pid, key, value, "give " + kind);
    }
}
