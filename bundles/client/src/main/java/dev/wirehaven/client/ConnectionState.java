package dev.wirehaven.client;

/** Where a {@link Connection} is in its life. */
public enum ConnectionState {
    /** Running the flow: authentication, configuration, bringing up the tunnel, waiting for the first handshake. */
    CONNECTING,
    /** The session is active and the tunnel carries traffic. */
    ACTIVE,
    /** The connection was lost; the client diagnoses and tries again with backoff, keeping the tunnel's keys. */
    RECONNECTING,
    /** Disconnected: the session was ended (or could not be kept), the tunnel is down, routes and DNS are restored. */
    CLOSED
}
