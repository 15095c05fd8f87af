package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.client.ClientException;

/**
 * The changes of a connection's state that its parts report, each at the end of a step in the lane
 * (see the diagram on {@link ClientConnection}, which owns the state and makes the changes).
 */
interface Lifecycle {

    /** The session is active again (set up, resumed, or made anew): report status, follow policy. */
    void active();

    /**
     * The connection was lost: diagnose and reconnect.
     *
     * @param sessionGone the server no longer knows the session, so only a new session can reconnect
     */
    void lost(String why, boolean sessionGone);

    /** The connection cannot be kept (credentials refused, certificate changed): close it, saying why. */
    void failed(ClientException e);
}
