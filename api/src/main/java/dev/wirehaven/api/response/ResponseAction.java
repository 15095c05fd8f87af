package dev.wirehaven.api.response;

/** What a {@link SecurityResponse} does, and what its {@link ResponseRequest#target() target} names. */
public enum ResponseAction {
    /** Nothing but the record: the finding reaches the sinks and the operator. Target: anything (the subject). */
    ALERT(false),
    /**
     * The source can neither reach the control API nor complete a WireGuard handshake until the block
     * ends. Target: an address ({@code 192.0.2.7}) or a prefix ({@code 192.0.2.0/24}).
     */
    BLOCK_SOURCE(true),
    /**
     * The session ends at once, as an operator's revoke does: peer removed, address released, token
     * dead. Target: a session id. It has no duration and cannot be undone (the client logs in again).
     */
    REVOKE_SESSION(false),
    /**
     * Every open session of the user is asked for one more factor while its tunnel stays up. Target: a
     * user name. It has no duration: a session that passes the factor is done with it.
     */
    REQUIRE_STEP_UP(false),
    /**
     * The user's open sessions are revoked and new logins are refused, whatever provider proves the
     * user, until the response ends. Target: a user name.
     */
    DISABLE_USER(true);

    private final boolean lasting;

    ResponseAction(boolean lasting) {
        this.lasting = lasting;
    }

    /** True when the action stays in force for a duration (and can expire or be undone). */
    public boolean isLasting() {
        return lasting;
    }
}
