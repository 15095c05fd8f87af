package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one answer counts against when it fails: the user name of a login (as typed for a first
 * factor, the established user for a later one), or, for a live session's re-authentication and
 * step-up, the session itself; and always the source address (per /64 for IPv6, {@link SourceKey}).
 *
 * <p>A live session is never counted against its user name: a stranger who locks a user name out
 * with wrong passwords must not take that user's existing tunnels down when they re-authenticate.
 *
 * @param keys the throttle keys, such as {@code user:alice}, {@code session:…}, {@code source:…}
 */
record LoginKeys(List<String> keys) {

    /** A lockout that a failure started on one key. */
    record Lockout(String key, Duration duration) {}

    static LoginKeys of(Login.Mode mode, boolean further, SessionRecord s, String user, InetAddress source) {
        List<String> keys = new ArrayList<>(2);
        if (mode == Login.Mode.LOGIN) {
            if (user != null && !user.isBlank()) {
                keys.add(userKey(user));
            }
        } else {
            keys.add("session:" + s.id());
        }
        if (source != null) {
            keys.add("source:" + SourceKey.of(source));
        }
        return new LoginKeys(List.copyOf(keys));
    }

    /** Case-folded: a guesser must not get a fresh count by changing the case of a name. */
    static String userKey(String user) {
        return "user:" + user.toLowerCase(Locale.ROOT);
    }

    static String describe(String key) {
        int colon = key.indexOf(':');
        String kind = key.substring(0, colon);
        String value = key.substring(colon + 1);
        return switch (kind) {
            case "user" -> "user name '" + value + "'";
            case "session" -> "session " + value;
            default -> "address " + value;
        };
    }

    /**
     * Counts the attempt on every key before it is verified.
     *
     * @throws FlowException RATE_LIMITED when a key is locked out or its window is full (nothing counted)
     */
    Counted count(LoginThrottle throttle, Instant now, LoginLimits limits) throws FlowException {
        List<String> begun = new ArrayList<>(keys.size());
        Optional<Duration> wait = Optional.empty();
        for (String key : keys) {
            Optional<Duration> w = throttle.begin(key, now, limits);
            if (w.isPresent()) {
                wait = wait.isPresent() && wait.get().compareTo(w.get()) >= 0 ? wait : w;
            } else {
                begun.add(key);
            }
        }
        if (wait.isPresent()) {
            begun.forEach(k -> throttle.forgive(k, now));
            throw FlowException.rateLimited(wait.get());
        }
        return new Counted(throttle, begun, now);
    }

    /** An attempt counted on its keys, to be forgiven, confirmed as a success, or confirmed as a failure. */
    static final class Counted {
        private final LoginThrottle throttle;
        private final List<String> keys;
        private final Instant at;

        private Counted(LoginThrottle throttle, List<String> keys, Instant at) {
            this.throttle = throttle;
            this.keys = keys;
            this.at = at;
        }

        /** Not a failure (pending, unavailable, refused before any check): the count is taken back. */
        void forgive() {
            keys.forEach(k -> throttle.forgive(k, at));
        }

        /** A success: the user's count (typed and proven name) is cleared, the others taken back. */
        void succeeded(LoginThrottle t, String provenUser) {
            for (String k : keys) {
                if (k.startsWith("user:")) {
                    t.reset(k);
                } else {
                    t.forgive(k, at);
                }
            }
            t.reset(userKey(provenUser));
        }

        /** A failure: each key whose window is now full starts a lockout. */
        List<Lockout> failed(LoginThrottle t, Instant now, LoginLimits limits) {
            List<Lockout> started = new ArrayList<>();
            for (String k : keys) {
                t.failed(k, now, limits).ifPresent(d -> started.add(new Lockout(k, d)));
            }
            return started;
        }
    }
}
