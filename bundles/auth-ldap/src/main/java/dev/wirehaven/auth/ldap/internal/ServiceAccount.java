package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The directory account that searches users and groups: its DN from the configuration, its
 * password from a file, so that the password never appears in the configuration, the Web Console
 * or a configuration dump.
 *
 * <p>The password stays in memory while the configuration is active, because the search pool binds
 * every connection it opens (also after the directory restarts) with it; it is wiped by
 * {@link #close()}. UnboundID's bind request holds the same array.
 */
final class ServiceAccount implements AutoCloseable {

    private final DN dn;
    private final byte[] password;

    private ServiceAccount(DN dn, byte[] password) {
        this.dn = dn;
        this.password = password;
    }

    /**
     * Reads the account of {@code bindDn} and {@code bindPasswordFile}.
     *
     * @return the account, or {@code null} when both are empty (anonymous searches)
     * @throws LdapConfigurationException when only one is given, the DN is not one, or the file cannot be
     *     read or is empty
     */
    static ServiceAccount from(String bindDn, String bindPasswordFile) {
        boolean hasDn = !bindDn.isBlank();
        boolean hasFile = !bindPasswordFile.isBlank();
        if (!hasDn && !hasFile) {
            return null;
        }
        if (!hasDn) {
            throw new LdapConfigurationException("bindDn", "is empty but bindPasswordFile is set");
        }
        if (!hasFile) {
            throw new LdapConfigurationException(
                    "bindPasswordFile", "is empty but bindDn is set: put the account's password in a file");
        }
        DN dn;
        try {
            dn = new DN(bindDn.strip());
        } catch (LDAPException e) {
            throw new LdapConfigurationException("bindDn", "is not a DN: " + e.getExceptionMessage(), e);
        }
        return new ServiceAccount(dn, readPassword(Path.of(bindPasswordFile.strip())));
    }

    /** The file's bytes without one trailing line end, as {@code echo secret > file} writes it. */
    static byte[] readPassword(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LdapConfigurationException(
                    "bindPasswordFile", "cannot be read (" + e.getClass().getSimpleName() + "): " + file, e);
        }
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        byte[] password = Arrays.copyOf(content, end);
        Arrays.fill(content, (byte) 0);
        if (password.length == 0) {
            // an empty password is an anonymous bind in LDAP, which would pass for the account's
            throw new LdapConfigurationException("bindPasswordFile", "is empty: " + file);
        }
        return password;
    }

    /** The bind request of the search pool. */
    SimpleBindRequest bindRequest() {
        return new SimpleBindRequest(dn, password);
    }

    DN dn() {
        return dn;
    }

    @Override
    public void close() {
        Arrays.fill(password, (byte) 0);
    }

    /** Names the account, never its password. */
    @Override
    public String toString() {
        return "ServiceAccount[" + dn + ", password redacted]";
    }
}
