package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.List;

/** The refusals that several steps share, each with what the client should do next; and client text made safe to show. */
final class FlowErrors {

    private FlowErrors() {}

    static FlowException invalid(String message) {
        return new FlowException(FlowFailure.INVALID_REQUEST, message);
    }

    static FlowException expired() {
        return new FlowException(
                FlowFailure.EXPIRED, "The session has expired; start again with a new connection" + " request");
    }

    static FlowException outOfOrder(SessionRecord s, String step) {
        return new FlowException(
                FlowFailure.OUT_OF_ORDER,
                "Cannot " + step + " now: the session is " + s.phase() + nextStepHint(s.phase()));
    }

    static FlowException changedMeanwhile(SessionRecord s) {
        return new FlowException(
                FlowFailure.OUT_OF_ORDER,
                "The session left phase " + s.phase() + " meanwhile; ask for its status and continue from there");
    }

    private static String nextStepHint(SessionPhase phase) {
        return switch (phase) {
            case REQUESTED, CHALLENGED -> "; answer the auth challenge first";
            case AUTHENTICATED -> "; get the server config and send the client config first";
            case CONFIGURED -> "; confirm the setup";
            case ACTIVE -> "";
            case DISCONNECTED, EXPIRED -> "; start again with a new connection request";
        };
    }

    /** The prefixes as the API and {@code wg} write them. */
    static List<String> texts(List<IpPrefix> prefixes) {
        return prefixes.stream().map(Prefixes::text).toList();
    }

    /** Client text for log lines and messages: control characters replaced, length bounded. */
    static String printable(String text) {
        String bounded = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return bounded.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
