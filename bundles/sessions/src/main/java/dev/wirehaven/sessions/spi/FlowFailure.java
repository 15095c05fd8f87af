package dev.wirehaven.sessions.spi;

/** Why a step of the flow was refused, with the HTTP status and the stable code of the answer. */
public enum FlowFailure {
    /** A field is missing or invalid; the message names it. */
    INVALID_REQUEST(400, "invalid_request"),
    /** Credentials or token not accepted; the message never says which part was wrong. */
    UNAUTHORIZED(401, "unauthorized"),
    /** The first factor was accepted; the exception's methods say what to answer next. */
    ANOTHER_FACTOR_REQUIRED(401, "another_factor_required"),
    /**
     * The login waits for the person to approve it elsewhere (a device-code login); the exception
     * carries what to show and when to ask again. Nothing failed and nothing was counted.
     */
    APPROVAL_PENDING(401, "approval_pending"),
    /**
     * A policy asks this live session for one more factor; the exception's methods and prompts say
     * which. The tunnel stays up meanwhile.
     */
    STEP_UP_REQUIRED(401, "step_up_required"),
    /** The session or its challenge lapsed; the client starts over with a new connection request. */
    EXPIRED(401, "expired"),
    /** The user may authenticate but policy does not let this session do what it asked. */
    FORBIDDEN(403, "forbidden"),
    /** No session with this id (never was, or closed long ago). */
    NOT_FOUND(404, "not_found"),
    /** The step does not fit the session's phase; the message names the phase. */
    OUT_OF_ORDER(409, "out_of_order"),
    /**
     * Too many failed attempts, or too many requests from the client's address; the exception says
     * when to retry.
     */
    RATE_LIMITED(429, "rate_limited"),
    /** The server cannot serve the step now (no WireGuard interface, store down, pool exhausted). */
    UNAVAILABLE(503, "unavailable"),
    /**
     * The server is at one of its capacity limits (connection requests waiting for authentication,
     * credential checks running or queued) and refuses the step rather than queueing it without bound;
     * the exception says when to retry. Nothing was changed.
     */
    BUSY(503, "busy");

    private final int httpStatus;
    private final String code;

    FlowFailure(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }
}
