package dev.wirehaven.auth.totp.internal.store;

import dev.wirehaven.server.support.store.MigrationTrack;
import java.util.List;

/** The TOTP tables as a migration track of their own, run by this bundle only. */
public final class TotpSchema {

    /** Its scripts are in {@code migrations/} beside this class. */
    public static final MigrationTrack TRACK = new MigrationTrack("totp", TotpSchema.class, List.of("V1__totp.sql"));

    private TotpSchema() {}
}
