package dev.wirehaven.server.internal.session;

import dev.wirehaven.api.session.SessionView;
import java.util.Optional;

/** What an operator may do to sessions beyond looking at them; the server's own service, not a plugin API. */
public interface SessionAdmin {

    /**
     * Ends an open session the way a disconnect does: peer removed, addresses released, session
     * closed, all recorded. The client's token stops working at once.
     *
     * @param by who revoked it, for the event log (such as {@code the console})
     * @return the session as it was before, or empty when no open session has that id
     */
    Optional<SessionView> revoke(String sessionId, String by);
}
