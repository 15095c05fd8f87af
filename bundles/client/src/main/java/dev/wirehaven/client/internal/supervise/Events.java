package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.ConnectionListener;
import java.time.Clock;

/** Tells a connection's listener what happens; a listener that throws cannot break the connection. */
final class Events {

    private final ConnectionListener listener;
    private final Clock clock;

    Events(ConnectionListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    void emit(Kind kind, String message) {
        try {
            listener.onEvent(new ConnectionEvent(clock.instant(), kind, message));
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
