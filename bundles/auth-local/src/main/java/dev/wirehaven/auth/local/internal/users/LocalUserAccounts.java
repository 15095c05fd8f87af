package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.api.admin.UserAccounts;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The local users' administration as the {@link UserAccounts} service, for front ends outside this
 * bundle (the web console's Users page): the very {@link UserAdministration} of the Gogo commands and
 * the admin socket, so every way in checks and answers alike, and a disabled user or a reset password
 * ends that user's open sessions here too.
 */
@Component(service = UserAccounts.class)
public final class LocalUserAccounts implements UserAccounts {

    private final UserAdministration users;

    @Activate
    public LocalUserAccounts(@Reference LocalUsers users) {
        this(users.administration());
    }

    LocalUserAccounts(UserAdministration users) {
        this.users = users;
    }

    @Override
    public List<UserAccount> list() throws AdminActionException {
        try {
            return users.list().stream()
                    .map(u -> new UserAccount(u.name(), u.disabled(), u.createdAt()))
                    .toList();
        } catch (UserAdminException e) {
            throw refused(e);
        }
    }

    @Override
    public String disable(String name) throws AdminActionException {
        try {
            return users.disable(name);
        } catch (UserAdminException e) {
            throw refused(e);
        }
    }

    @Override
    public String enable(String name) throws AdminActionException {
        try {
            return users.enable(name);
        } catch (UserAdminException e) {
            throw refused(e);
        }
    }

    @Override
    public String resetPassword(String name, char[] password) throws AdminActionException {
        try {
            return users.resetPassword(name, password);
        } catch (UserAdminException e) {
            throw refused(e);
        }
    }

    /**
     * The same sentence in the exception of the API. The cause goes along for the log of whoever catches
     * it (a store failure's own cause); it is this bundle's private class, which the caller only prints.
     */
    private static AdminActionException refused(UserAdminException e) {
        return new AdminActionException(e.getMessage(), e);
    }
}
