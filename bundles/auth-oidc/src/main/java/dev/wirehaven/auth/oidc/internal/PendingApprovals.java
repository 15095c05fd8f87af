package dev.wirehaven.auth.oidc.internal;

import dev.wirehaven.api.auth.PendingApproval;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The device logins that wait for the person's approval: what each pending answer shows (the
 * verification URI, the user code, the interval), so that a poll that is still pending can answer
 * with the same data. The reference itself (the device code) is what the server passes back;
 * nothing else is needed to ask the provider.
 *
 * <p><b>Bounded.</b> Anyone can start a device login, so the table must not grow with them: an entry
 * goes when its approval expires (the provider's {@code expires_in}), when the login ends, and, beyond
 * {@link #DEFAULT_CAPACITY} entries, the oldest goes first. A poll whose entry has gone is answered as
 * an expired approval: the person starts over.
 *
 * <p>Entries are keyed by a SHA-256 of the device code, so that the table (a heap dump) does not hand
 * out codes that collect a person's tokens. Thread-safe.
 */
final class PendingApprovals {

    /** More waiting logins than any one server has people at their browsers. */
    static final int DEFAULT_CAPACITY = 4096;

    private final Clock clock;
    private final int capacity;
    // insertion order: the first entry is the oldest; guarded by this
    private final LinkedHashMap<String, PendingApproval> byCode = new LinkedHashMap<>();

    PendingApprovals(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is less than 1");
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Keeps {@code approval} until it expires or {@link #remove}. */
    synchronized void put(PendingApproval approval) {
        dropExpired();
        byCode.remove(key(approval.reference())); // a re-put (a longer interval) counts as new
        byCode.put(key(approval.reference()), approval);
        Iterator<Map.Entry<String, PendingApproval>> oldestFirst =
                byCode.entrySet().iterator();
        while (byCode.size() > capacity && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    /** The approval waiting under {@code reference}, unless it expired or was never here. */
    synchronized Optional<PendingApproval> get(String reference) {
        dropExpired();
        return Optional.ofNullable(byCode.get(key(reference)));
    }

    /** Forgets the approval (its login ended). */
    synchronized void remove(String reference) {
        byCode.remove(key(reference));
    }

    synchronized int size() {
        dropExpired();
        return byCode.size();
    }

    private void dropExpired() {
        var now = clock.instant();
        byCode.values().removeIf(a -> !now.isBefore(a.expiresAt()));
    }

    private static String key(String reference) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(reference.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java SE runtime, yet it is missing", e);
        }
    }
}
