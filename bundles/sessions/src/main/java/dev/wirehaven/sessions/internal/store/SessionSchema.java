package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.MigrationTrack;
import java.util.List;

/** The session core's tables (sessions, address leases, peers, the event log) as a migration track. */
public final class SessionSchema {

    /** Its scripts are in {@code migrations/} beside this class. */
    public static final MigrationTrack TRACK = new MigrationTrack(
            "sessions",
            SessionSchema.class,
            List.of("V1__initial.sql", "V2__sessions.sql", "V3__limits.sql", "V4__usage.sql", "V5__nodes.sql"));

    private SessionSchema() {}
}
