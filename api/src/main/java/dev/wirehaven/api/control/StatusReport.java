package dev.wirehaven.api.control;

/**
 * Client to server ({@code POST /api/v1/sessions/{id}/status}): the client's keep-alive and metrics.
 * The server answers with its {@link SessionStatus}, which is the "pong".
 *
 * @param rxBytes bytes the client received through the tunnel
 * @param txBytes bytes the client sent through the tunnel
 * @param handshakeAgeSeconds seconds since the client's last completed handshake, or -1 for none
 * @param latencyMillis the client's last measured control round trip in milliseconds, or -1 unknown
 */
public record StatusReport(long rxBytes, long txBytes, long handshakeAgeSeconds, long latencyMillis) {

    /** Validates. */
    public StatusReport {
        Messages.notNegative("rxBytes", rxBytes);
        Messages.notNegative("txBytes", txBytes);
        if (handshakeAgeSeconds < -1) {
            throw new IllegalArgumentException("handshakeAgeSeconds is below -1");
        }
        if (latencyMillis < -1) {
            throw new IllegalArgumentException("latencyMillis is below -1");
        }
    }
}
