package dev.wirehaven.store.embedded;

import dev.wirehaven.store.embedded.internal.EmbeddedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The embedded database for a command-line tool that works on it while no server runs (such as
 * {@code bin/wirehaven user add} with the server stopped). Same location, URL, settings and database
 * owner as the store's component, so both always open the same database. H2 lets one process hold the
 * file at a time: while a server runs, opening fails, and the tool should go through the server.
 */
public final class OfflineStore implements AutoCloseable {

    private final EmbeddedStore store;

    private OfflineStore(EmbeddedStore store) {
        this.store = store;
    }

    /**
     * Opens the store of the server whose data directory is {@code dataDirectory}.
     *
     * @throws IOException when the directory cannot be used (such as permission denied)
     * @throws SQLException when the database cannot be opened (most often: a running server holds it)
     */
    public static OfflineStore open(Path dataDirectory) throws IOException, SQLException {
        return new OfflineStore(EmbeddedStore.openStandalone(dataDirectory.toString()));
    }

    /** The database, for the time until {@link #close()}. */
    public DataSource dataSource() {
        return store;
    }

    /** Closes the database: what was committed is on disk and the file is free for the next start. */
    @Override
    public void close() {
        store.close();
    }
}
