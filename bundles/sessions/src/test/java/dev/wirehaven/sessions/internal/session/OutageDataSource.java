package dev.wirehaven.sessions.internal.session;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A store that the test can take away and give back: while it is down every new connection fails as
 * a pool does when the database does not answer (PostgreSQL stopped, a failover under way).
 */
final class OutageDataSource implements DataSource {

    private final DataSource store;
    private volatile boolean down;

    OutageDataSource(DataSource store) {
        this.store = store;
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("the database does not answer (test outage)", "08001");
        }
        return store.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("one user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return store.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        store.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        store.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return store.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return store.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return store.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return store.isWrapperFor(iface);
    }
}
