package dev.wirehaven.auth.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.framework.Constants;

/**
 * Checks a user name and password against one LDAP directory.
 *
 * <p>A login: (1) an empty password is refused before anything is sent, because LDAP takes a bind
 * with a DN and no password for an anonymous one, which succeeds; (2) the user's DN is found by a
 * search as the service account, or made from the template; (3) the password is checked by a bind as
 * that DN on a connection of its own; (4) the entry is checked against the disabled filter; (5) the
 * groups are read. Steps 4 and 5 run as the service account, or, in the template mode without one,
 * as the user just bound.
 *
 * <p>Answers: SUCCESS with the user's name as the directory spells it, the groups and the entry's
 * {@code dn}, {@code mail} and {@code displayName}. FAILURE with the generic reason for a wrong
 * password, an unknown or ambiguous name and a disabled account alike; an unknown name costs a bind
 * too (against a DN that names nobody), so that the time taken does not tell it apart.
 * UNAVAILABLE, with the servers and the error for the operator's log, when no server can be reached
 * or one fails to answer in time, so that the server's chain can fall back.
 */
public final class LdapAuthProvider implements AuthProvider, AutoCloseable {

    /** The factory configuration PID: {@code etc/dev.wirehaven.auth.ldap-<name>.config}. */
    public static final String PID = "dev.wirehaven.auth.ldap";

    /** The realms' rule for method names (AuthRealm), so that every configured method can be referred to. */
    private static final Pattern METHOD = Pattern.compile("[a-z0-9-]{1,64}");

    private static final int MAX_PROMPT = 200;
    /** Longer names are no directory's: refused without a round trip. */
    private static final int MAX_USER_NAME = 256;

    private final String method;
    private final int ranking;
    private final String prompt;
    private final LdapDirectory directory;
    private final UserLookup users;
    private final GroupLookup groups;

    LdapAuthProvider(
            String method, int ranking, String prompt, LdapDirectory directory, UserLookup users, GroupLookup groups) {
        this.method = method;
        this.ranking = ranking;
        this.prompt = prompt;
        this.directory = directory;
        this.users = users;
        this.groups = groups;
    }

    /**
     * The provider of one configuration; connects to nothing yet.
     *
     * @throws LdapConfigurationException naming the key of a value that cannot work
     */
    static LdapAuthProvider from(LdapConfiguration c) {
        String method = c.method().strip();
        if (!METHOD.matcher(method).matches()) {
            throw new LdapConfigurationException(
                    "method", "is '" + c.method() + "': use lower-case letters, digits and hyphens, such as ldap");
        }
        String prompt = c.prompt().strip();
        if (prompt.isEmpty() || prompt.length() > MAX_PROMPT || prompt.chars().anyMatch(Character::isISOControl)) {
            throw new LdapConfigurationException("prompt", "must be one line of 1 to " + MAX_PROMPT + " characters");
        }
        UserLookup users = UserLookup.from(c);
        GroupLookup groups = GroupLookup.from(c);
        // last: the directory holds the service account's password and a pool, which a later check would leak
        LdapDirectory directory = LdapDirectory.from(c, method);
        return new LdapAuthProvider(method, c.service_ranking(), prompt, directory, users, groups);
    }

    /** The properties to register the service with: the method, so that realms can select it, and the ranking. */
    Map<String, Object> serviceProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(METHOD_PROPERTY, method);
        // an Integer, whatever type the configuration file gave: the framework ignores any other
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put(Constants.SERVICE_DESCRIPTION, "LDAP directory " + directory.describe());
        return properties;
    }

    LdapDirectory directory() {
        return directory;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Set<CredentialKind> credentialKinds() {
        return Set.of(CredentialKind.PASSWORD);
    }

    @Override
    public String prompt(CredentialKind kind) {
        return kind == CredentialKind.PASSWORD ? prompt : kind.standardPrompt();
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        if (!(request.credential() instanceof PasswordCredential credential)) {
            return AuthResult.failure();
        }
        String typed = credential.username();
        char[] password = credential.password();
        try {
            if (password.length == 0 || typed.length() > MAX_USER_NAME) {
                return AuthResult.failure();
            }
            return users.usesTemplate() ? byTemplate(request, typed, password) : bySearch(request, typed, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private AuthResult bySearch(AuthRequest request, String typed, char[] password) {
        Optional<SearchResultEntry> found;
        try {
            found = users.search(directory.searches(), typed, groups.userAttributes());
        } catch (LDAPException e) {
            return AuthResult.unavailable(DirectoryFailures.unavailable(directory, "searching the user", e));
        }
        if (found.isEmpty()) {
            spendABind(users.absentUserDn(), password);
            return AuthResult.failure();
        }
        SearchResultEntry entry = found.get();
        LDAPConnection bound;
        try {
            bound = directory.bindAs(entry.getParsedDN(), password);
        } catch (LDAPException e) {
            return refused(e);
        }
        try (bound) {
            return admit(request, directory.searches(), entry, typed);
        } catch (LDAPException e) {
            return AuthResult.unavailable(DirectoryFailures.unavailable(directory, "reading the user's account", e));
        }
    }

    private AuthResult byTemplate(AuthRequest request, String typed, char[] password) {
        DN dn = users.templateDn(typed);
        LDAPConnection bound;
        try {
            bound = directory.bindAs(dn, password);
        } catch (LDAPException e) {
            return refused(e);
        }
        try (bound) {
            // without a service account the user reads their own entry: what such a directory lets every user do
            LDAPInterface reader = directory.hasServiceAccount() ? directory.searches() : bound;
            Optional<SearchResultEntry> entry = users.read(reader, dn, groups.userAttributes());
            if (entry.isEmpty()) {
                // the password was right, so the entry exists: whoever reads cannot see it
                return AuthResult.unavailable("LDAP directory " + directory.describe() + ": the entry " + dn
                        + " cannot be read by " + (directory.hasServiceAccount() ? "the service account" : "its user"));
            }
            return admit(request, reader, entry.get(), typed);
        } catch (LDAPException e) {
            return AuthResult.unavailable(DirectoryFailures.unavailable(directory, "reading the user's account", e));
        }
    }

    /** After the password was accepted: the account's state, the factor's user, and the identity. */
    private AuthResult admit(AuthRequest request, LDAPInterface reader, SearchResultEntry entry, String typed)
            throws LDAPException {
        if (users.isDisabled(reader, entry.getParsedDN())) {
            return AuthResult.failure();
        }
        String name = users.userName(entry, typed);
        if (request.isFurtherFactor()
                && !name.equals(request.establishedIdentity().user())) {
            // as a later factor, the password must belong to whoever the earlier factors proved
            return AuthResult.failure();
        }
        return AuthResult.success(new Identity(name, groups.groupsOf(reader, entry, name), attributes(entry)));
    }

    private static Map<String, String> attributes(SearchResultEntry entry) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("dn", entry.getDN());
        for (String name : new String[] {UserLookup.MAIL, UserLookup.DISPLAY_NAME}) {
            String value = entry.getAttributeValue(name);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        return attributes;
    }

    private AuthResult refused(LDAPException e) {
        return DirectoryFailures.refusesCredential(e)
                ? AuthResult.failure()
                : AuthResult.unavailable(
                        DirectoryFailures.unavailable(directory, "checking the password (a bind as the user)", e));
    }

    /** The same work as a wrong password, whose answer does not matter: the login fails either way. */
    private void spendABind(DN dn, char[] password) {
        try (LDAPConnection ignored = directory.bindAs(dn, password)) {
            // a DN that names nobody: the bind fails, and if it did not, the login still fails
        } catch (LDAPException expected) {
            // invalid credentials, or the directory went away: the answer is FAILURE all the same
        }
    }

    /** Closes the search pool and wipes the service account's password. */
    @Override
    public void close() {
        directory.close();
    }

    @Override
    public String toString() {
        return "LdapAuthProvider[" + method + ", " + directory.describe() + ", " + users + ", " + groups + "]";
    }
}
