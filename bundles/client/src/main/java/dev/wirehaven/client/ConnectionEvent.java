package dev.wirehaven.client;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a person watching the connection should know, as a sentence.
 *
 * @param time when it happened
 * @param kind what sort of event
 * @param message the sentence, never with a secret in it
 */
public record ConnectionEvent(Instant time, Kind kind, String message) {

    /** The sorts of events. */
    public enum Kind {
        /** Progress and facts: a step done, a certificate recorded, a policy applied. */
        INFO,
        /** The connection became active; the message is {@code Connected: <addresses> via <endpoint>}. */
        CONNECTED,
        /** The connection was lost; the message says how. */
        LOST,
        /** One finding of the diagnosis after a loss (name resolution, API reach, UDP, handshake age). */
        DIAGNOSIS,
        /** A reconnect attempt failed; the message says why and when the next one is. */
        RETRYING,
        /** Something failed that does not end the connection (a policy that could not be applied, a re-authentication to retry). */
        WARNING,
        /** The connection ended; the message says why. */
        CLOSED
    }

    public ConnectionEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
