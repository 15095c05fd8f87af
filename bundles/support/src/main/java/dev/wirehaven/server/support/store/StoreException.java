package dev.wirehaven.server.support.store;

import java.sql.SQLException;

/**
 * The store could not do what was asked: the database is unreachable, a statement failed, or the
 * schema is not one this server can use. Unchecked, because no caller of a repository can recover
 * from a broken database other than by reporting it; the message says what was being done.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
