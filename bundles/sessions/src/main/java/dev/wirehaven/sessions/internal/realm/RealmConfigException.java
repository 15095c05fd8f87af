package dev.wirehaven.sessions.internal.realm;

/** A realm configuration that cannot be used: names the key and says what is wrong, for one ERROR line. */
public final class RealmConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    RealmConfigException(String key, String problem) {
        super("key '" + key + "': " + problem);
    }
}
