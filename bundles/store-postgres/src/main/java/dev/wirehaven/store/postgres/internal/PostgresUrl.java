package dev.wirehaven.store.postgres.internal;

import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * The pgjdbc URL of the shared database, as the store uses it: checked, and with
 * {@code targetServerType=primary} added when the operator did not choose a target. The gateways
 * write (sessions, leases, events), so with a multi-host URL
 * ({@code jdbc:postgresql://db1:5432,db2:5432/wirehaven}) every new connection must land on the
 * host that accepts writes; after a replica is promoted that is the new primary, and pgjdbc finds it
 * by asking each host in turn. Without the setting pgjdbc takes the first host that answers, which
 * may be a read-only standby.
 *
 * <p>The password never comes from the URL: it lives in the owner-only file that {@code
 * password.file} names, so that the URL can be logged and shown as it is.
 */
final class PostgresUrl {

    static final String PREFIX = "jdbc:postgresql:";
    static final String TARGET_SERVER_TYPE = "targetServerType";
    static final String PRIMARY = "primary";

    /** URL parameters that hold secrets; {@code password} is refused, the others are masked when shown. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&](?:password|sslpassword)=)[^&]*");

    private final String url;
    private final Properties parsed;

    private PostgresUrl(String url, Properties parsed) {
        this.url = url;
        this.parsed = parsed;
    }

    /**
     * The URL to connect with.
     *
     * @param where the configuration that holds it, for the error message ("configuration ... (file ...)")
     * @throws IllegalArgumentException naming {@code where}, the key and the fix when pgjdbc cannot use it
     */
    static PostgresUrl of(String configured, String where) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException(where + ": url is missing; set it to the database of the gateways,"
                    + " e.g. url = jdbc:postgresql://db1:5432,db2:5432/wirehaven");
        }
        String url = configured.strip();
        Properties parsed = url.startsWith(PREFIX) ? Driver.parseURL(url, new Properties()) : null;
        if (parsed == null) {
            throw new IllegalArgumentException(where + ": url " + masked(url) + " is not a PostgreSQL JDBC URL;"
                    + " write it as jdbc:postgresql://host:5432/database (several hosts separated by commas)");
        }
        if (parsed.getProperty("password") != null) {
            throw new IllegalArgumentException(where + ": url " + masked(url) + " holds a password, which would"
                    + " then show in logs and in the web console; remove it from the URL and write it into the"
                    + " owner-only file named by password.file");
        }
        if (parsed.getProperty(TARGET_SERVER_TYPE) == null) {
            String separator = url.indexOf('?') < 0 ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&";
            url = url + separator + TARGET_SERVER_TYPE + "=" + PRIMARY;
            parsed = Driver.parseURL(url, new Properties());
        }
        return new PostgresUrl(url, parsed);
    }

    /** The URL for pgjdbc. */
    String value() {
        return url;
    }

    /** Whether the operator set this pgjdbc property in the URL (then the store leaves it as it is). */
    boolean sets(String property) {
        return parsed.getProperty(property) != null;
    }

    private static String masked(String url) {
        return SECRET_PARAMETER.matcher(url).replaceAll("$1***");
    }

    /** The URL with any secret parameter masked: what logs and messages show. */
    @Override
    public String toString() {
        return masked(url);
    }
}
