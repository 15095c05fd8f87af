package dev.wirehaven.console.internal;

/**
 * The user object that the web console holds for a request that passed {@link ConsoleLogin}: only
 * this type is authorized, so nothing else that a provider might return can pass for the admin.
 *
 * @param name the admin user name
 */
record AdminUser(String name) {

    @Override
    public String toString() {
        return name;
    }
}
