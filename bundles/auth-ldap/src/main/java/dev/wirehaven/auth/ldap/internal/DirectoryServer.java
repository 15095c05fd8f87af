package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.util.Locale;

/**
 * One server of the directory, from one of the configured URLs.
 *
 * @param ldaps true for {@code ldaps://} (TLS from the first byte), false for {@code ldap://}
 * @param host the host name or address, as the certificate must name it
 * @param port the port
 */
record DirectoryServer(boolean ldaps, String host, int port) {

    /**
     * Parses {@code ldap://host[:port]} or {@code ldaps://host[:port]} (default ports 389 and 636).
     *
     * @throws LdapConfigurationException naming the key {@code urls}
     */
    static DirectoryServer parse(String url) {
        LDAPURL parsed;
        try {
            parsed = new LDAPURL(url.strip());
        } catch (LDAPException e) {
            throw new LdapConfigurationException("urls", "has '" + url + "', which is not an LDAP URL", e);
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new LdapConfigurationException("urls", "has '" + url + "': only ldap:// and ldaps:// are supported");
        }
        if (!parsed.hostProvided()) {
            throw new LdapConfigurationException("urls", "has '" + url + "' without a host");
        }
        if (parsed.baseDNProvided() || parsed.attributesProvided() || parsed.filterProvided()) {
            // a URL that names a base or filter suggests that it is used: the searches have their own keys
            throw new LdapConfigurationException(
                    "urls", "has '" + url + "': give only scheme, host and port (the searches have their own keys)");
        }
        return new DirectoryServer(scheme.equals("ldaps"), parsed.getHost(), parsed.getPort());
    }

    /** The server as an operator writes it: {@code ldaps://ldap.example.com:636}. */
    @Override
    public String toString() {
        String literal = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (ldaps ? "ldaps://" : "ldap://") + literal + ":" + port;
    }
}
