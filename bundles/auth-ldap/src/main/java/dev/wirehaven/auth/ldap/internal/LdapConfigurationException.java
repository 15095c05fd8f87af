package dev.wirehaven.auth.ldap.internal;

/**
 * A configuration value that cannot work. Thrown while the configuration is activated, so that
 * Declarative Services logs it and registers no provider; the message names the PID and the key,
 * and never repeats a secret.
 */
final class LdapConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    LdapConfigurationException(String key, String problem) {
        super(LdapAuthProvider.PID + ": " + key + " " + problem);
    }

    LdapConfigurationException(String key, String problem, Throwable cause) {
        super(LdapAuthProvider.PID + ": " + key + " " + problem, cause);
    }
}
