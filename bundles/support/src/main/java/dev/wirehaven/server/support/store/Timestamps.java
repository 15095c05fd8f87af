package dev.wirehaven.server.support.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from {@code TIMESTAMP WITH TIME ZONE} columns. {@link OffsetDateTime} is the
 * JDBC 4.2 type that both H2 and the PostgreSQL driver map such columns to without a conversion
 * through the JVM's default time zone.
 */
public final class Timestamps {

    private Timestamps() {}

    public static OffsetDateTime toDatabase(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Sets a parameter, typed even when null: the PostgreSQL driver cannot infer the type of an untyped null. */
    public static void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, toDatabase(instant));
        }
    }

    public static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
