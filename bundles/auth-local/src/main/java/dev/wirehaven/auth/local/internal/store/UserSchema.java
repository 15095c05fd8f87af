package dev.wirehaven.auth.local.internal.store;

import dev.wirehaven.server.support.store.MigrationTrack;
import java.util.List;

/** The local users' table as a migration track of its own, run by this bundle only. */
public final class UserSchema {

    /** Its scripts are in {@code migrations/} beside this class. */
    public static final MigrationTrack TRACK =
            new MigrationTrack("local-users", UserSchema.class, List.of("V1__users.sql"));

    private UserSchema() {}
}
