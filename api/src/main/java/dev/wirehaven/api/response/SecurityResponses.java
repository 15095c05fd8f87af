package dev.wirehaven.api.response;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's security responses: carries them out, keeps them in force until they expire or are
 * undone, refuses those whose target is on the operator's allow-list, and reports each step as a
 * security event ({@code response.applied}, {@code response.refused}, {@code response.ended}) so that
 * the audit log holds all of it. Responses survive a restart of the server.
 *
 * <p>Detectors call {@link #apply}; the control API and the WireGuard devices ask
 * {@link #isBlocked}; the session layer asks {@link #isDisabled} before it lets a login through.
 */
@ProviderType
public interface SecurityResponses {

    /**
     * Carries out a response, or records why not. A lasting response for a target that already has
     * one of the same action in force extends it when the new one ends later, instead of adding a
     * second.
     *
     * @return the response as recorded: {@link SecurityResponse.State#ACTIVE} or
     *         {@link SecurityResponse.State#DONE} when carried out, {@link SecurityResponse.State#REFUSED}
     *         with the reason in its note when not
     * @throws IllegalArgumentException when the target is not of the form the action takes (a block of
     *         something that is not an address or prefix), with a message that says which form
     */
    SecurityResponse apply(ResponseRequest request);

    /**
     * Ends a lasting response now: a block lets its source in at once, a disabled user may log in.
     *
     * @param by who undoes it, for the audit log
     * @return the response as it is now, or empty when no response in force has that id
     */
    Optional<SecurityResponse> undo(String id, String by);

    /** The responses in force now, oldest first. */
    List<SecurityResponse> active();

    /** The latest responses of every state, newest first, at most {@code limit} of them. */
    List<SecurityResponse> recent(int limit);

    /** True when a block in force covers {@code source}. */
    boolean isBlocked(InetAddress source);

    /** True when a response in force disables {@code user}. */
    boolean isDisabled(String user);
}
