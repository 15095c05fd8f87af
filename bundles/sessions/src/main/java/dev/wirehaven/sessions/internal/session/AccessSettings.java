package dev.wirehaven.sessions.internal.session;

/**
 * What the session layer enforces on access.
 *
 * @param enforce whether every session's traffic is checked against the policy engines' rules in the
 *        data plane ({@code access.enforcement=policy}, the default) or not at all ({@code off})
 * @param sessionsPerUser how many open sessions one user may hold ({@code user.sessions.max})
 * @param grantLifetime how long a resource granted on request stays open ({@code access.grant.lifetime})
 */
public record AccessSettings(boolean enforce, int sessionsPerUser, java.time.Duration grantLifetime) {}
