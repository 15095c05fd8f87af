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

    /**
     * The connection was lost because the gateway stopped answering (its control API cannot be reached,
     * or its WireGuard side is silent) while the session may well live: another gateway of a cluster may
     * carry it on, else as {@link #lost}. A gateway that answers with an error (a 503 while its store is
     * down) is not unreachable: moving would not help.
     */
    void unreachable(String why);

    /** The connection cannot be kept (credentials refused, certificate changed): close it, saying why. */
    void failed(ClientException e);
}
