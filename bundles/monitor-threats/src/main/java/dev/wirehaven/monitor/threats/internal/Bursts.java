package dev.wirehaven.monitor.threats.internal;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Amounts by key in a sliding window (failed logins by source, refused handshakes by source, denied
 * destinations by session) that make a finding when their sum reaches a rule's threshold. After a
 * finding the key's count starts afresh and the key stays quiet for {@link Rule#quietUntil}: what it
 * does meanwhile is the same attack, already reported and answered; until its response ends
 * ({@link #responseEnded}).
 */
final class Bursts {

    private static final class Track {
        final SlidingWindow window = new SlidingWindow();
        Instant quietUntil = Instant.MIN;
    }

    private final Bounded<String, Track> tracks;

    Bursts(int maxKeys) {
        this.tracks = new Bounded<>(maxKeys);
    }

    /** Adds {@code amount} for {@code key}; returns the sum when it makes a finding now. */
    OptionalDouble add(String key, double amount, Rule rule, Instant now) {
        Track t = tracks.get(key);
        if (t == null) {
            if (amount <= 0) {
                return OptionalDouble.empty(); // nothing to track: keep the map for keys that do something
            }
            t = new Track();
            tracks.put(key, t);
        }
        if (now.isBefore(t.quietUntil)) {
            return OptionalDouble.empty();
        }
        double sum = t.window.add(now, amount, rule.window());
        if (sum < rule.threshold()) {
            return OptionalDouble.empty();
        }
        t.window.clear();
        t.quietUntil = rule.quietUntil(now);
        return OptionalDouble.of(sum);
    }

    /**
     * The response to {@code key}'s finding ended (it expired, or an operator undid it): the key is
     * judged afresh from now on, so that an attack that resumes is answered again. An operator who
     * never wants the key answered puts it on the responses' allow-list instead.
     */
    void responseEnded(String key) {
        Track t = tracks.get(key);
        if (t != null) {
            t.quietUntil = Instant.MIN;
            t.window.clear();
        }
    }

    /** How many keys are tracked now. */
    int size() {
        return tracks.size();
    }
}
