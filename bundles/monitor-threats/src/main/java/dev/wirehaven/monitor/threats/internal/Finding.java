package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.response.ResponseAction;

/**
 * What a detector found, before it is reported: the event type, a detail for people (never a secret),
 * and the subjects a response can act on: the source address, the user, the session. A subject the
 * finding does not concern is {@code null}.
 */
record Finding(String type, String detail, String address, String user, String session) {

    Finding {
        if (address == null && user == null && session == null) {
            throw new IllegalArgumentException("a finding concerns an address, a user or a session");
        }
    }

    static Finding ofAddress(String type, String detail, String address) {
        return new Finding(type, detail, address, null, null);
    }

    static Finding ofUser(String type, String detail, String user) {
        return new Finding(type, detail, null, user, null);
    }

    /**
     * What {@code action} acts on, as {@link ResponseAction} says for each action, or {@code null} when
     * this finding has no such subject. An alert names the most specific subject.
     */
    String targetOf(ResponseAction action) {
        return switch (action) {
            case BLOCK_SOURCE -> address;
            case REVOKE_SESSION -> session;
            case REQUIRE_STEP_UP, DISABLE_USER -> user;
            case ALERT -> address != null ? address : session != null ? session : user;
        };
    }
}
