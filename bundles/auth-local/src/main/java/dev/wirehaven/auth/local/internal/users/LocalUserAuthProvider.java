package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.PasswordService;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The built-in auth method {@value #METHOD}: the local users of the store, checked by a Shiro
 * security manager over {@link LocalUserRealm}. It is an ordinary {@link AuthProvider} service, so
 * the server's auth chain treats it like any plugin. The users come from {@link LocalUsers}, that is
 * from the store registered as a {@code DataSource} with {@code wirehaven.store=*}.
 *
 * <p>Answers: SUCCESS with the user's name (no groups: the store has none yet); FAILURE with the
 * generic reason for an unknown user, a wrong password and a disabled user alike; UNAVAILABLE when
 * the store cannot be read or the password hasher has as many checks as it takes (see
 * {@link UserPasswords}), so that the chain may fall back and no failed login is counted. Rate
 * limiting is the chain's.
 */
@Component(service = AuthProvider.class, property = AuthProvider.METHOD_PROPERTY + "=" + LocalUserAuthProvider.METHOD)
public final class LocalUserAuthProvider implements AuthProvider {

    /** The method name that clients see in the auth challenge. */
    public static final String METHOD = "password";

    private final DefaultSecurityManager securityManager;

    @Activate
    public LocalUserAuthProvider(@Reference LocalUsers users) {
        this(users.repository(), users.passwords(), new SecureRandom());
    }

    LocalUserAuthProvider(UserRepository users, PasswordService passwords, SecureRandom random) {
        // only the authenticator is used: no subjects, no sessions, nothing bound to threads
        this.securityManager = new DefaultSecurityManager(new LocalUserRealm(users, passwords, random));
    }

    @Deactivate
    void close() {
        securityManager.destroy();
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Set<CredentialKind> credentialKinds() {
        return Set.of(CredentialKind.PASSWORD);
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        if (!(request.credential() instanceof PasswordCredential credential)) {
            return AuthResult.failure();
        }
        String user = credential.username();
        char[] password = credential.password();
        UsernamePasswordToken token = new UsernamePasswordToken(user, password);
        try {
            AuthenticationInfo info = securityManager.authenticate(token);
            String name = (String) info.getPrincipals().getPrimaryPrincipal();
            if (request.isFurtherFactor()
                    && !name.equals(request.establishedIdentity().user())) {
                // as a later factor, the password must belong to whoever the earlier factors proved
                return AuthResult.failure();
            }
            return AuthResult.success(Identity.of(name));
        } catch (LocalUserRealm.UserStoreUnavailableException e) {
            return AuthResult.unavailable("The local user store cannot be read: " + e.getMessage());
        } catch (LocalUserRealm.HashingBusyAuthenticationException e) {
            return AuthResult.unavailable("The local password hasher has as many checks as it takes");
        } catch (AuthenticationException e) {
            return AuthResult.failure();
        } finally {
            token.clear(); // wipes the array it was given, which is our copy
            Arrays.fill(password, '\0');
        }
    }
}
