package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.PendingApproval;
import dev.wirehaven.api.control.ApprovalPrompt;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The approvals that logins wait for (device-code logins), by session and method: the provider's
 * reference stays here and never goes to the client, and a client that asks again before its
 * interval is answered from here without asking the provider (RFC 8628 section 3.5 lets the
 * identity provider slow a polling client down; this keeps our clients from making it do so).
 *
 * <p>In memory and bounded: a restart forgets them (the person starts the login again), an approval
 * past its expiry is dropped, and when {@link #MAX_PENDING} wait at once a new one is refused BUSY
 * by the caller rather than growing the map.
 */
final class PendingApprovals {

    /** At most this many logins may wait for an approval at once. */
    static final int MAX_PENDING = 10_000;

    /** One approval waited for, and when the client may ask the provider again. */
    record Waiting(PendingApproval approval, Instant nextPollAt) {}

    private final ConcurrentMap<String, Waiting> waiting = new ConcurrentHashMap<>();

    /** The approval that the login of {@code sessionId} with {@code method} waits for, if it still may. */
    Optional<Waiting> find(String sessionId, String method, Instant now) {
        Waiting w = waiting.get(key(sessionId, method));
        if (w != null && !now.isBefore(w.approval().expiresAt())) {
            waiting.remove(key(sessionId, method), w);
            return Optional.empty();
        }
        return Optional.ofNullable(w);
    }

    /**
     * Keeps {@code approval} for the login; the next provider call waits its interval.
     *
     * @return false when {@link #MAX_PENDING} logins wait already (nothing kept)
     */
    boolean keep(String sessionId, String method, PendingApproval approval, Instant now) {
        if (waiting.size() >= MAX_PENDING && !waiting.containsKey(key(sessionId, method))) {
            waiting.values().removeIf(w -> !now.isBefore(w.approval().expiresAt()));
            if (waiting.size() >= MAX_PENDING) {
                return false;
            }
        }
        waiting.put(key(sessionId, method), new Waiting(approval, now.plus(approval.interval())));
        return true;
    }

    /** The login decided (or ended): its approval is no longer waited for. */
    void forget(String sessionId, String method) {
        waiting.remove(key(sessionId, method));
    }

    /** Every approval of a session that ended. */
    void forgetSession(String sessionId) {
        waiting.keySet().removeIf(k -> k.startsWith(sessionId + " "));
    }

    /** Drops the approvals past their expiry (the reaper calls it). */
    void prune(Instant now) {
        waiting.values().removeIf(w -> !now.isBefore(w.approval().expiresAt()));
    }

    int size() {
        return waiting.size();
    }

    /** What the client shows: everything but the reference. */
    static ApprovalPrompt prompt(PendingApproval a) {
        return new ApprovalPrompt(
                a.verificationUri(),
                a.verificationUriComplete(),
                a.userCode(),
                Math.max(1, a.interval().toSeconds()),
                a.expiresAt());
    }

    private static String key(String sessionId, String method) {
        return sessionId + " " + method;
    }
}
