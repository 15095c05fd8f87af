package dev.wirehaven.api.session;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What an operator may do to sessions beyond looking at them. Provided by the sessions bundle; used by
 * the bundles that act for an operator (the local users' administration ends a disabled user's
 * sessions, a console page or a security response revokes one). Plugins that are not an operator's
 * tool have no reason to use it.
 */
@ProviderType
public interface SessionAdmin {

    /**
     * Ends an open session the way a disconnect does: peer removed, addresses released, session
     * closed, all recorded. The client's token stops working at once.
     *
     * @param by who revoked it, for the event log (such as {@code the console})
     * @return the session as it was before, or empty when no open session has that id
     */
    Optional<SessionView> revoke(String sessionId, String by);

    /**
     * Ends every open session of {@code user}, each as {@link #revoke} does: what an operator wants
     * when a user is disabled or removed, so that a tunnel does not outlive the account.
     *
     * @return the sessions as they were before, in the order they started
     */
    List<SessionView> revokeAllOf(String user, String by);

    /**
     * Asks an open, authenticated session for one more factor while its tunnel stays up (a policy's
     * STEP_UP): the client sees the methods in its next status answer and answers one of them. Asking
     * again replaces the methods; a session that passes one of them no longer has a step-up pending.
     *
     * @param methods the auth methods of which the user must pass one; at least one
     * @param reason for the event log and the client's message, such as "access to the finance subnet"
     * @return false when no open authenticated session has that id
     * @since 1.2
     */
    boolean requestStepUp(String sessionId, List<String> methods, String reason);
}
