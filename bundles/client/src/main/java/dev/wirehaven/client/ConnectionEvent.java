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
        CLOSED,
        /**
         * A policy asked the live session for one more factor and the server accepted the answer.
         *
         * @since 2.1
         */
        STEP_UP_DONE,
        /**
         * A policy asked the live session for one more factor, and it was not given: the server refused
         * the answer, the person did not answer or approve in time, or the prompter cannot answer that
         * kind. The message says which. The tunnel stays up (what the policy then allows is the server's
         * decision); the client asks again only when the server asks again.
         *
         * @since 2.1
         */
        STEP_UP_REFUSED
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
