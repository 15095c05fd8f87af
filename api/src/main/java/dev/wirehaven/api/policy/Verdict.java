package dev.wirehaven.api.policy;

/**
 * What a {@link PolicyEngine} says about a request. The server combines the verdicts of all engines
 * so that the strictest wins: any {@link #DENY} denies; otherwise any {@link #STEP_UP} asks the
 * client for a further factor; otherwise the request is allowed if at least one engine said
 * {@link #ALLOW}; when every engine answered {@link #NOT_APPLICABLE} (or none is installed) the
 * request is denied, so that a missing policy never opens access.
 */
public enum Verdict {
    /** The request may proceed. */
    ALLOW,
    /** The request is refused. */
    DENY,
    /** The request may proceed once the user has passed one more factor of the named methods. */
    STEP_UP,
    /** This engine has no rule about the request and leaves it to the others. */
    NOT_APPLICABLE
}
