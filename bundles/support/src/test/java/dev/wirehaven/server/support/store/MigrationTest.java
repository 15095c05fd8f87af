package dev.wirehaven.server.support.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

    static final MigrationTrack THINGS =
            new MigrationTrack("things", MigrationTest.class, List.of("V1__things.sql", "V2__colours.sql"));

    @Test
    void aTrackListsEveryScriptBesideItsAnchor() throws URISyntaxException, IOException {
        ShippedScripts.assertTrackListsEveryScript(THINGS);
    }

    @Test
    void aTrackIsNamedLikeAnIdentifier() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new MigrationTrack("Users; DROP", MigrationTest.class, List.of()));
    }

    @Test
    void splitsAScriptIntoStatementsWithoutComments() {
        Migration m = new Migration(1, "t", "-- a comment\nCREATE TABLE a (\n  x INT\n);\n\nDROP TABLE a;\n", "c");
        assertEquals(List.of("CREATE TABLE a (\n  x INT\n)", "DROP TABLE a"), m.statements());
    }

    @Test
    void rejectsAScriptWhoseLastStatementIsNotClosed() {
        Migration m = new Migration(1, "t", "CREATE TABLE a (x INT)\n", "c");
        assertThrows(IllegalStateException.class, m::statements);
    }
}
