package dev.wirehaven.api.admin;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's tasks on the local users (the {@code password} auth method): list them, refuse or
 * allow their logins, set a new password. The same checks and sentences as the Gogo commands
 * {@code wirehaven:users}, {@code userdisable}, {@code userenable} and {@code userpasswd}.
 *
 * <p>Provided by the local users bundle ({@code dev.wirehaven.auth-local}) while it runs; used by the
 * web console. Each change returns the sentence to show the operator and throws
 * {@link AdminActionException} with the sentence to show on refusal or failure (no such user, an
 * invalid name or password, the store failing).
 *
 * @since 1.1
 */
@ProviderType
public interface UserAccounts {

    /** Every local user, by name. */
    List<UserAccount> list() throws AdminActionException;

    /**
     * Refuses the user's logins from now on and ends the user's open sessions, so that a tunnel does
     * not outlive the decision.
     */
    String disable(String name) throws AdminActionException;

    /** Allows the user's logins again. */
    String enable(String name) throws AdminActionException;

    /**
     * Sets a new password (one line, 1 to 1024 characters) and ends the user's open sessions: a
     * password is reset because the old one may be known to someone else, whose tunnel must not outlive
     * it. Does not clear {@code password}: the caller owns it and should clear it afterwards.
     */
    String resetPassword(String name, char[] password) throws AdminActionException;
}
