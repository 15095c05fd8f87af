package dev.wirehaven.server.support.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The values of one configuration or service property. Configuration Admin hands a list key over
 * as a String (from a {@code .cfg} line), an array (from a typed {@code .config} file or the web
 * console) or a Collection; every reader of such a key takes it through here.
 */
public final class PropertyValues {

    private PropertyValues() {}

    /** The values as text, in order; empty for {@code null}. */
    public static List<String> of(Object raw) {
        List<String> values = new ArrayList<>();
        if (raw == null) {
            return values;
        }
        if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                values.add(String.valueOf(Array.get(raw, i)));
            }
        } else if (raw instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else {
            values.add(raw.toString());
        }
        return values;
    }
}
