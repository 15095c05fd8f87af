package dev.wirehaven.client;

import dev.wirehaven.api.session.SessionPhase;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A connection's state at one moment, as the client sees it.
 *
 * @param state the connection's state
 * @param sessionId the server's session id, or {@code null} before the server answered
 * @param phase the session's phase as the server last reported it, or {@code null}
 * @param addresses the tunnel addresses, such as {@code 10.8.0.2/32} (empty before configuration)
 * @param endpoint the server's WireGuard endpoint in use, or {@code null} before configuration
 * @param expiresAt when the session lapses unless re-authenticated, or {@code null}
 * @param rxBytes bytes received through the tunnel
 * @param txBytes bytes sent through the tunnel
 * @param handshakeAgeSeconds seconds since the last completed handshake, -1 if none
 * @param latencyMillis the round trip of the last status call in milliseconds, -1 if none yet
 * @param policyVersion the newest policy version applied
 */
public record ConnectionStatus(
        ConnectionState state,
        String sessionId,
        SessionPhase phase,
        List<String> addresses,
        InetSocketAddress endpoint,
        Instant expiresAt,
        long rxBytes,
        long txBytes,
        long handshakeAgeSeconds,
        long latencyMillis,
        long policyVersion) {

    public ConnectionStatus {
        addresses = List.copyOf(addresses);
    }
}
