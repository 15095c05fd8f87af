package dev.wirehaven.wireguard.internal.crypto;

import com.sun.jna.NativeLibrary;
import java.util.List;

/** Opening a native library by the first of several names, with one message that says what was tried. */
final class NativeLoading {

    private NativeLoading() {}

    /** The names from the system property {@code property} if set (comma-separated), else {@code defaults}. */
    static List<String> names(String property, List<String> defaults) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() ? defaults : List.of(v.trim().split("\\s*,\\s*"));
    }

    static NativeLibrary open(String what, List<String> names) {
        StringBuilder tried = new StringBuilder();
        for (String name : names) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                if (tried.length() > 0) {
                    tried.append(", ");
                }
                tried.append(name);
            }
        }
        throw new UnsatisfiedLinkError(what + " absent (tried " + tried + ")");
    }
}
