package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthStatus;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the auth providers answered, counted by provider (its bundle), method and outcome, for the
 * metrics: a provider that starts failing or becomes unavailable shows in {@code auth.results} before
 * users call. The keys come from the server's own plugins, never from what a client sends, so the
 * table stays as small as the set of providers times five outcomes.
 */
final class AuthResults {

    /** What a provider's answer was: its status, or that it threw or answered nothing. */
    enum Outcome {
        SUCCESS,
        FAILURE,
        ANOTHER_FACTOR,
        UNAVAILABLE,
        ERROR;

        static Outcome of(AuthStatus status) {
            return switch (status) {
                case SUCCESS -> SUCCESS;
                case FAILURE -> FAILURE;
                case NEEDS_ANOTHER_FACTOR -> ANOTHER_FACTOR;
                case UNAVAILABLE -> UNAVAILABLE;
                default -> ERROR; // a status of a newer SDK: counted, not lost
            };
        }

        /** As a tag value: {@code another-factor}. */
        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One row of the table. */
    record Key(String provider, String method, Outcome outcome) {}

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one answer of {@code provider} (its bundle's symbolic name) for {@code method}. */
    void record(String provider, String method, Outcome outcome) {
        counts.computeIfAbsent(new Key(provider, method, outcome), k -> new LongAdder())
                .increment();
    }

    /** The running totals, in a stable order. */
    Map<Key, Long> totals() {
        Map<Key, Long> totals = new TreeMap<>(java.util.Comparator.comparing(Key::provider)
                .thenComparing(Key::method)
                .thenComparing(Key::outcome));
        counts.forEach((k, v) -> totals.put(k, v.sum()));
        return totals;
    }
}
