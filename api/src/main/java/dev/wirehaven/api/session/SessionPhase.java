package dev.wirehaven.api.session;

/**
 * The phases of a client session, in the order of the seed's connection flow. A session moves
 * forward only; it ends in {@link #DISCONNECTED} or {@link #EXPIRED}.
 */
public enum SessionPhase {
    /** The client asked to connect, with its public key, requested address and device name. */
    REQUESTED,
    /** The server sent an auth challenge naming the methods it accepts. */
    CHALLENGED,
    /** The credentials were accepted; the client holds a session token. */
    AUTHENTICATED,
    /** Server and client exchanged their configuration; the peer is being added to the device. */
    CONFIGURED,
    /** The first WireGuard handshake completed: the tunnel carries traffic. */
    ACTIVE,
    /** The client disconnected or an operator revoked the session; peer and address were released. */
    DISCONNECTED,
    /** The session ended because its token expired or the client stopped answering keep-alives. */
    EXPIRED;

    /** True for the phases that end a session. */
    public boolean isTerminal() {
        return this == DISCONNECTED || this == EXPIRED;
    }
}
