package dev.wirehaven.sessions.internal.realm;

import java.util.Locale;

/** Who in a realm must add a second factor after the first. */
public enum SecondFactorRule {
    /** Nobody: the first factor is enough (unless its provider asks for more itself). */
    NONE,
    /** Every user of the realm. */
    EVERYONE,
    /** Members of the realm's second-factor groups. */
    GROUPS,
    /** Users who have set the second-factor method up (an authenticator app enrolled). */
    ENROLLED;

    /** The configuration's spelling: {@code none}, {@code everyone}, {@code groups}, {@code enrolled}. */
    static SecondFactorRule parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RealmConfigException(
                    "secondFactorFor", "'" + text + "' is not one of none, everyone, groups, enrolled");
        }
    }
}
