package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.ConnectionListener;
import java.time.Instant;

/** Tells a connection's listener what happens; a listener that throws cannot break the connection. */
final class Events {

    private final ConnectionListener listener;

    Events(ConnectionListener listener) {
        this.listener = listener;
    }

    void emit(Kind kind, String message) {
        try {
            listener.onEvent(new ConnectionEvent(Instant.now(), kind, message));
        } catch (RuntimeException e) {
            // the listener's problem; the connection carries on
        }
    }

    void info(String message) {
        emit(Kind.INFO, message);
    }

    void warning(String message) {
        emit(Kind.WARNING, message);
    }
}
