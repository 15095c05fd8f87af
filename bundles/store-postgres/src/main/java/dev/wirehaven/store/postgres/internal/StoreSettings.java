package dev.wirehaven.store.postgres.internal;

/**
 * The PostgreSQL store's configuration, checked: each bad value is an error that names the
 * configuration (and its file in {@code etc/}), the key and the fix. Holds no secret: the password
 * stays in its file until the pool is built.
 *
 * @param where the configuration, as messages name it ("configuration ... (file ...)")
 * @param passwordFile null when the database needs no password
 */
record StoreSettings(
        PostgresUrl url, String user, PasswordFile passwordFile, int maxConnections, int waitSeconds, String where) {

    static final int MAX_CONNECTIONS_LIMIT = 1000;

    StoreSettings {
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException(where + ": max.connections must be between 1 and "
                    + MAX_CONNECTIONS_LIMIT + ", was " + maxConnections
                    + "; mind the database's max_connections, shared by every gateway");
        }
        if (waitSeconds < 1) {
            throw new IllegalArgumentException(
                    where + ": connection.wait.seconds must be at least 1, was " + waitSeconds + "; the default is 5");
        }
    }

    /** From the values as configured; {@code home} is the installation directory that relative paths start from. */
    static StoreSettings of(
            String url,
            String user,
            String passwordFile,
            int maxConnections,
            int waitSeconds,
            String home,
            String where) {
        return new StoreSettings(
                PostgresUrl.of(url, where),
                user == null || user.isBlank() ? null : user.strip(),
                PasswordFile.named(passwordFile, home, where),
                maxConnections,
                waitSeconds,
                where);
    }
}
