package dev.wirehaven.api.control;

/**
 * Client to server ({@code POST /api/v1/sessions/{id}/policy-ack}): the client applied a policy
 * version, or could not.
 *
 * @param version the version acknowledged
 * @param applied whether the client applied it
 * @param detail what went wrong when not applied; may be empty
 */
public record PolicyAck(long version, boolean applied, String detail) {

    /** Validates. */
    public PolicyAck {
        Messages.notNegative("version", version);
        detail = detail == null ? "" : detail;
        if (detail.length() > 1000) {
            throw new IllegalArgumentException("detail is longer than 1000 characters");
        }
    }
}
