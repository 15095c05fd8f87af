package dev.wirehaven.sessions.internal.access;

import dev.wirehaven.wireguard.PeerFilter;
import java.time.Instant;

/**
 * A session's access as the data plane enforces it: the filter, and when it must be compiled again
 * even without a policy change (a time window or a grant ends then).
 *
 * @param filter the peer's filter
 * @param validUntil when to compile again, or null when only a policy change does
 * @param ruleCount how many rules the filter holds, for the log
 */
public record CompiledAccess(PeerFilter filter, Instant validUntil, int ruleCount) {

    /** Whether the filter must be compiled again at {@code now}. */
    public boolean lapsedAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }
}
