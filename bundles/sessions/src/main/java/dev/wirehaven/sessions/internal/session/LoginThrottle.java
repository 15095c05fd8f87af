package dev.wirehaven.sessions.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts failed logins per key (a user name, a source address) and locks a key out when it fails
 * too often: {@link LoginLimits#maxFailures()} failures within the window start a lockout of
 * {@link LoginLimits#firstLockout()}, and each further lockout of the same key doubles it up to
 * {@link LoginLimits#maxLockout()}. A success clears the key. In memory: a restart forgets the
 * counts, which only gives a guesser one more window, and the store stays free of per-attempt writes.
 *
 * <p>An attempt is counted when it starts ({@link #begin}), before its credential is checked, and
 * taken back ({@link #forgive}) when it turns out not to be a failure: so a burst of concurrent
 * guesses cannot run more checks than the limit allows while the first ones are still being verified.
 */
final class LoginThrottle {

    private final ConcurrentMap<String, Attempts> keys = new ConcurrentHashMap<>();

    /** How long {@code key} must still wait, if it is locked out. */
    Optional<Duration> retryAfter(String key, Instant now) {
        Attempts a = keys.get(key);
        if (a == null) {
            return Optional.empty();
        }
        synchronized (a) {
            return a.lockedUntil != null && now.isBefore(a.lockedUntil)
                    ? Optional.of(Duration.between(now, a.lockedUntil))
                    : Optional.empty();
        }
    }

    /**
     * Counts an attempt of {@code key} as a failure before it is verified.
     *
     * @return how long to wait when the key is locked out, or when the attempts in flight already
     *         fill its window; then nothing was counted
     */
    Optional<Duration> begin(String key, Instant now, LoginLimits limits) {
        Attempts a = keys.computeIfAbsent(key, k -> new Attempts());
        synchronized (a) {
            if (a.lockedUntil != null && now.isBefore(a.lockedUntil)) {
                return Optional.of(Duration.between(now, a.lockedUntil));
            }
            prune(a, now, limits);
            if (a.failures.size() >= limits.maxFailures()) {
                Duration wait = Duration.between(now, a.failures.peekFirst().plus(limits.window()));
                return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
            }
            a.failures.addLast(now);
            return Optional.empty();
        }
    }

    /** Takes back the attempt that {@link #begin} counted at {@code at}: it was not a failure. */
    void forgive(String key, Instant at) {
        Attempts a = keys.get(key);
        if (a != null) {
            synchronized (a) {
                a.failures.removeLastOccurrence(at);
            }
        }
    }

    /**
     * The attempt that {@link #begin} counted failed: starts a lockout when the window is full.
     *
     * @return the lockout that this failure started, if it started one
     */
    Optional<Duration> failed(String key, Instant now, LoginLimits limits) {
        Attempts a = keys.computeIfAbsent(key, k -> new Attempts());
        synchronized (a) {
            return lockoutIfFull(a, now, limits);
        }
    }

    /**
     * Counts a failure that was not counted beforehand.
     *
     * @return the lockout that this failure started, if it started one
     */
    Optional<Duration> recordFailure(String key, Instant now, LoginLimits limits) {
        Attempts a = keys.computeIfAbsent(key, k -> new Attempts());
        synchronized (a) {
            prune(a, now, limits);
            a.failures.addLast(now);
            return lockoutIfFull(a, now, limits);
        }
    }

    private static void prune(Attempts a, Instant now, LoginLimits limits) {
        Instant windowStart = now.minus(limits.window());
        while (!a.failures.isEmpty() && !a.failures.peekFirst().isAfter(windowStart)) {
            a.failures.pollFirst();
        }
    }

    /** Called with the key's monitor held. */
    private static Optional<Duration> lockoutIfFull(Attempts a, Instant now, LoginLimits limits) {
        if (a.failures.size() < limits.maxFailures()) {
            return Optional.empty();
        }
        a.failures.clear();
        Duration lockout = limits.firstLockout();
        for (int i = 0; i < a.lockouts && lockout.compareTo(limits.maxLockout()) < 0; i++) {
            lockout = lockout.multipliedBy(2);
        }
        lockout = lockout.compareTo(limits.maxLockout()) > 0 ? limits.maxLockout() : lockout;
        a.lockouts++;
        a.lockedUntil = now.plus(lockout);
        return Optional.of(lockout);
    }

    /** Forgets the key's failures and lockouts (after a successful login). */
    void reset(String key) {
        keys.remove(key);
    }

    /**
     * Forgets the keys that have been quiet for a whole window after their last failure and lockout,
     * so that the map does not grow with every address that ever failed once.
     */
    void prune(Instant now, LoginLimits limits) {
        Instant quietSince = now.minus(limits.window());
        keys.entrySet().removeIf(e -> {
            Attempts a = e.getValue();
            synchronized (a) {
                boolean recentFailure =
                        !a.failures.isEmpty() && a.failures.peekLast().isAfter(quietSince);
                boolean recentLockout = a.lockedUntil != null && a.lockedUntil.isAfter(quietSince);
                return !recentFailure && !recentLockout;
            }
        });
    }

    /** Keys being tracked (for tests and diagnostics). */
    int size() {
        return keys.size();
    }

    /** One key's recent failures and lockouts; guarded by its own monitor. */
    private static final class Attempts {
        final Deque<Instant> failures = new ArrayDeque<>();
        int lockouts;
        Instant lockedUntil;
    }
}
