package dev.wirehaven.server.support.files;

import java.io.IOException;
import java.util.Properties;

/**
 * Which store an installation keeps its users, sessions and the rest in: the framework property
 * {@value #PROPERTY} of its {@code etc/config.properties} ({@value #EMBEDDED} unless it says otherwise).
 * The offline command lines ({@code bin/wirehaven user}, {@code bin/wirehaven totp}) read it from
 * outside the framework: they can open the embedded store themselves while the server is stopped, but
 * not a shared database, whose users every running node of the cluster serves.
 */
public final class StoreChoice {

    /** The framework property that chooses the store. */
    public static final String PROPERTY = "wirehaven.store";
    /** The store in the data directory, the default. */
    public static final String EMBEDDED = "embedded";

    private StoreChoice() {}

    /**
     * The store of the installation that the system property {@value DataDirectory#HOME_PROPERTY} names.
     *
     * @throws IOException when {@code etc/config.properties} exists but cannot be read
     */
    public static String installed(Properties system) throws IOException {
        String value = DataDirectory.frameworkProperties(system).getProperty(PROPERTY);
        return value == null || value.isBlank() ? EMBEDDED : value.strip();
    }

    /**
     * Why {@code command} cannot work on the store by itself, for its user: null for the embedded store.
     *
     * @param command what the user ran, such as {@code bin/wirehaven user}
     * @param instead what to do instead, such as "run it on a running node of the cluster"
     */
    public static String offlineRefusal(Properties system, String command, String instead) throws IOException {
        String chosen = installed(system);
        if (EMBEDDED.equals(chosen)) {
            return null;
        }
        return "this installation keeps its data in the '" + chosen + "' store (" + PROPERTY + "=" + chosen
                + " in etc/config.properties), which '" + command + "' does not open by itself: " + instead;
    }
}
