package dev.wirehaven.api.response;

import java.time.Instant;
import java.util.Objects;

/**
 * One response as the server recorded it.
 *
 * @param id the response's id, opaque and unique on this server; what {@link SecurityResponses#undo}
 *        takes
 * @param action what it does
 * @param target what it does it to (a block's target in canonical prefix form, {@code 192.0.2.7/32})
 * @param reason why it was asked for
 * @param requestedBy who asked
 * @param started when it was asked for
 * @param expires when a lasting response ends by itself; equal to {@code started} for the others
 * @param state where it stands now
 * @param note for the operator: what was done (two sessions revoked), why nothing was done (the
 *        target is on the allow-list), or who undid it; may be empty
 */
public record SecurityResponse(
        String id,
        ResponseAction action,
        String target,
        String reason,
        String requestedBy,
        Instant started,
        Instant expires,
        State state,
        String note) {

    /** Where a response stands. */
    public enum State {
        /** A lasting response in force now. */
        ACTIVE,
        /** A one-off response that was carried out (a revoke, a step-up, an alert). */
        DONE,
        /** A lasting response that ran its time. */
        EXPIRED,
        /** A lasting response that an operator ended early. */
        UNDONE,
        /** Not carried out: its target is on the allow-list, or it names nothing that exists. */
        REFUSED
    }

    /** Rejects missing parts. */
    public SecurityResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(note, "note");
    }

    /** True while the response is in force. */
    public boolean isActive() {
        return state == State.ACTIVE;
    }
}
