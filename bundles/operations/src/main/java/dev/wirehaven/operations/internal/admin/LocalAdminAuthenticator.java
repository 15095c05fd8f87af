package dev.wirehaven.operations.internal.admin;

import dev.wirehaven.api.admin.AdminAuthenticator;
import dev.wirehaven.api.auth.PasswordCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The admin credential as an {@link AdminAuthenticator} service: verifies the user name and
 * password against the hash in {@code <data>/admin.credential}, which activation creates on the
 * first start (see {@link AdminCredentialSetup}).
 *
 * <p>Immediate, so that the first start prints the new password while the operator watches the
 * server start, not later when something first asks for the service. If the credential file cannot
 * be read or created, activation fails with a message saying what to do, and no
 * {@code AdminAuthenticator} is registered: the web console then stays closed rather than open.
 */
@Component(service = AdminAuthenticator.class, immediate = true)
public final class LocalAdminAuthenticator implements AdminAuthenticator {

    private final AdminCredential credential;
    private final VerifiedCredentialCache verified;

    @Activate
    public LocalAdminAuthenticator(BundleContext context) {
        this(setUp(context), new SecureRandom());
    }

    LocalAdminAuthenticator(AdminCredential credential, SecureRandom random) {
        this.credential = credential;
        this.verified = new VerifiedCredentialCache(random);
    }

    private static AdminCredential setUp(BundleContext context) {
        DataDirectory data = DataDirectory.at(context.getProperty(DataDirectory.PROPERTY));
        AdminCredentialSetup setup =
                new AdminCredentialSetup(data, new SecureRandom(), PasswordHash.DEFAULT_ITERATIONS, System.out);
        try {
            return setup.loadOrCreate();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot set up the admin credential in " + data.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(PasswordCredential presented) {
        char[] password = presented.password();
        try {
            String user = presented.username();
            boolean userMatches = MessageDigest.isEqual(
                    user.getBytes(StandardCharsets.UTF_8), credential.user().getBytes(StandardCharsets.UTF_8));
            if (userMatches && verified.matches(user, password)) {
                return true;
            }
            // the slow hash runs whether or not the user name matched, so timing does not tell which was wrong
            boolean passwordMatches = credential.passwordHash().matches(password);
            boolean ok = userMatches & passwordMatches;
            if (ok) {
                verified.remember(user, password);
            }
            return ok;
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
