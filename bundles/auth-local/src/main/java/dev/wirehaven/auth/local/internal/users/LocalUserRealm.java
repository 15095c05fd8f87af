package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.store.User;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.server.support.store.StoreException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.DisabledAccountException;
import org.apache.shiro.authc.IncorrectCredentialsException;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UnknownAccountException;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.PasswordMatcher;
import org.apache.shiro.authc.credential.PasswordService;
import org.apache.shiro.realm.AuthenticatingRealm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Shiro realm of the local users, over the {@code users} table.
 *
 * <p>Every attempt costs the same: one lookup and one Argon2 verification, whether the user
 * exists, is disabled or gave the wrong password. An unknown user is checked against a dummy hash
 * of a random password made at construction with the current parameters, and a disabled user's
 * password is verified before the account is refused; so neither the answer (the provider turns
 * all three into the same generic failure) nor the time tells a guesser which names exist.
 */
final class LocalUserRealm extends AuthenticatingRealm {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUserRealm.class);
    static final String NAME = "wirehaven-local-users";

    private final UserRepository users;
    private final String dummyHash;

    LocalUserRealm(UserRepository users, PasswordService passwords, SecureRandom random) {
        PasswordMatcher matcher = new PasswordMatcher();
        matcher.setPasswordService(passwords);
        setCredentialsMatcher(matcher);
        setAuthenticationTokenClass(UsernamePasswordToken.class);
        setName(NAME);
        this.users = users;
        this.dummyHash = dummyHash(passwords, random);
    }

    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
        String name = ((UsernamePasswordToken) token).getUsername();
        Optional<User> user;
        try {
            user = users.find(name);
        } catch (StoreException e) {
            throw new UserStoreUnavailableException(e.getMessage(), e);
        }
        return user.map(u -> new LocalAccount(u.name(), u.passwordHash(), true, u.disabled(), getName()))
                .orElseGet(() -> new LocalAccount(name, dummyHash, false, false, getName()));
    }

    @Override
    protected void assertCredentialsMatch(AuthenticationToken token, AuthenticationInfo info) {
        LocalAccount account = (LocalAccount) info;
        try {
            super.assertCredentialsMatch(token, info);
        } catch (UserPasswords.HashingBusyException e) {
            throw new HashingBusyAuthenticationException();
        } catch (IllegalArgumentException e) {
            // Shiro's matcher passes on what the password service throws for an unreadable hash
            LOG.warn(
                    "The stored password hash of user {} cannot be read ({}); set a new password with "
                            + "'bin/wirehaven user reset {}'",
                    account.name,
                    e.getMessage(),
                    account.name);
            throw new IncorrectCredentialsException("unreadable password hash");
        }
        // a random password's hash cannot match, but an unknown user must never pass, even by chance
        if (!account.known) {
            throw new UnknownAccountException();
        }
        if (account.disabled) {
            throw new DisabledAccountException();
        }
    }

    private static String dummyHash(PasswordService passwords, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        char[] password = Base64.getEncoder().encodeToString(secret).toCharArray();
        try {
            return passwords.encryptPassword(password);
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    /** What the realm found for a name: a stored user, or the dummy that stands in for an unknown one. */
    private static final class LocalAccount extends SimpleAuthenticationInfo {

        private static final long serialVersionUID = 1L;

        private final String name;
        private final boolean known;
        private final boolean disabled;

        LocalAccount(String name, String passwordHash, boolean known, boolean disabled, String realm) {
            super(name, passwordHash, realm);
            this.name = name;
            this.known = known;
            this.disabled = disabled;
        }

        /** Shiro's equality (the principals), and whether the user is known and disabled, which Shiro's does not see. */
        @Override
        public boolean equals(Object o) {
            return o instanceof LocalAccount a && super.equals(a) && known == a.known && disabled == a.disabled;
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }

        /** Shiro logs the account at DEBUG after a success: the name only, never the hash. */
        @Override
        public String toString() {
            return "LocalAccount[" + name + "]";
        }
    }

    /**
     * The password could not be checked because the hasher is full; like an unreadable store, not the
     * client's fault and no failed login. An {@link AuthenticationException}, so that Shiro's
     * authenticator passes it on as it is instead of wrapping it.
     */
    static final class HashingBusyAuthenticationException extends AuthenticationException {

        private static final long serialVersionUID = 1L;

        HashingBusyAuthenticationException() {
            super("as many password checks run and wait as the server takes");
        }
    }

    /** The store could not be asked; unlike the other failures this is not the client's fault. */
    static final class UserStoreUnavailableException extends AuthenticationException {

        private static final long serialVersionUID = 1L;

        UserStoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
