package dev.wirehaven.responses.internal;

import dev.wirehaven.server.support.store.MigrationTrack;
import java.util.List;

/** The responses' table as a migration track of its own, run by this bundle only. */
final class ResponseSchema {

    /** Its scripts are in {@code migrations/} beside this class. */
    static final MigrationTrack TRACK =
            new MigrationTrack("responses", ResponseSchema.class, List.of("V1__responses.sql"));

    private ResponseSchema() {}
}
