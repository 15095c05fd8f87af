package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.admin.NewAuthenticator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the Users page says after an action, kept on the server for the one GET that follows the post's
 * redirect. The other pages redirect with a fixed outcome name; here the sentence is the user
 * administration's own (which user, how many sessions ended, why a password was refused), and after an
 * enrollment it carries the new secret, which must never be in a URL (history, proxy and server logs).
 * So the redirect names an unguessable id, and the notice is taken (removed) when the page shows it:
 * the secret is shown once, and a reload shows nothing.
 *
 * <p>Bounded: at most {@link #CAPACITY} notices, each for at most {@link #LIFETIME} (an admin who
 * posts and never follows the redirect leaves nothing behind for longer).
 */
final class UsersNotices {

    static final int CAPACITY = 16;
    static final Duration LIFETIME = Duration.ofMinutes(5);

    /**
     * One action's result.
     *
     * @param sentence what the administration said, for the operator
     * @param failed true when the action was refused or failed
     * @param authenticator the new secret to show once, or null
     */
    record Notice(String sentence, boolean failed, NewAuthenticator authenticator) {

        static Notice done(String sentence) {
            return new Notice(sentence, false, null);
        }

        static Notice refused(String sentence) {
            return new Notice(sentence, true, null);
        }
    }

    private record Kept(Notice notice, Instant expires) {}

    private final Map<String, Kept> kept = new LinkedHashMap<>();
    private final SecureRandom random;
    private final Clock clock;

    UsersNotices(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** Keeps {@code notice} and returns its id, 32 hex digits (safe in a URL as they are). */
    synchronized String put(Notice notice) {
        dropExpired();
        if (kept.size() >= CAPACITY) {
            Iterator<String> oldest = kept.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String key = HexFormat.of().formatHex(id);
        kept.put(key, new Kept(notice, clock.instant().plus(LIFETIME)));
        return key;
    }

    /** The notice of {@code id}, removed: each is shown once. */
    synchronized Optional<Notice> take(String id) {
        dropExpired();
        Kept k = kept.remove(id);
        return k == null ? Optional.empty() : Optional.of(k.notice());
    }

    /**
     * The ids of the notices still kept, each mapped to itself: the page's outcomes, through which
     * ConsolePage passes the redirect's id on to the page's render, which takes the notice.
     */
    synchronized Map<String, String> outcomes() {
        dropExpired();
        Map<String, String> ids = new LinkedHashMap<>();
        kept.keySet().forEach(id -> ids.put(id, id));
        return Map.copyOf(ids);
    }

    private void dropExpired() {
        Instant now = clock.instant();
        kept.values().removeIf(k -> !now.isBefore(k.expires()));
    }
}
