package dev.wirehaven.auth.local.internal.users;

/**
 * Ends the open sessions of a user whose account was just disabled or removed, so that a tunnel
 * does not outlive the account: the running server's session layer, or nothing where no server
 * runs (the command line without a server; a stored session then lapses by its own lifetime).
 */
@FunctionalInterface
interface OpenSessions {

    /** For where no session layer runs. */
    OpenSessions NONE = (user, why) -> 0;

    /** Ends every open session of {@code user}; {@code why} goes to the event log. Returns how many ended. */
    int endAllOf(String user, String why);
}
