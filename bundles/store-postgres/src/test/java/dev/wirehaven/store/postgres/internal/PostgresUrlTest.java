package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";

    @Test
    void aUrlWithoutTargetServerTypeGetsPrimary() {
        assertEquals(
                "jdbc:postgresql://db1:5432,db2:5432/wirehaven?targetServerType=primary",
                PostgresUrl.of("jdbc:postgresql://db1:5432,db2:5432/wirehaven", WHERE)
                        .value());
        assertEquals(
                "jdbc:postgresql://db1/wirehaven?ssl=true&targetServerType=primary",
                PostgresUrl.of(" jdbc:postgresql://db1/wirehaven?ssl=true ", WHERE)
                        .value());
        assertEquals(
                "jdbc:postgresql://db1/wirehaven?ssl=true&targetServerType=primary",
                PostgresUrl.of("jdbc:postgresql://db1/wirehaven?ssl=true&", WHERE)
                        .value());
        assertTrue(PostgresUrl.of("jdbc:postgresql://db1/wirehaven", WHERE).sets("targetServerType"));
    }

    @Test
    void theOperatorsOwnTargetServerTypeStays() {
        String url = "jdbc:postgresql://db1,db2/wirehaven?targetServerType=preferPrimary";
        assertEquals(url, PostgresUrl.of(url, WHERE).value());
    }

    @Test
    void aMissingUrlNamesTheConfigurationAndAnExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.of(" ", WHERE));
        assertTrue(e.getMessage().startsWith(WHERE + ": url is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PostgresUrl.of("jdbc:h2:file:/tmp/x", WHERE));
        assertTrue(e.getMessage().contains(WHERE + ": url jdbc:h2:file:/tmp/x is not a PostgreSQL"), e.getMessage());
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PostgresUrl.of("jdbc:postgresql://db1/wirehaven?user=gw&password=Sekr3t-in-url", WHERE));
        assertFalse(e.getMessage().contains("Sekr3t-in-url"), e.getMessage());
        assertTrue(e.getMessage().contains("password.file"), e.getMessage());
        assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
    }

    @Test
    void theKeyPassphraseIsMaskedWhenShown() {
        PostgresUrl url = PostgresUrl.of("jdbc:postgresql://db1/wirehaven?sslpassword=Phr4se&ssl=true", WHERE);
        assertEquals(
                "jdbc:postgresql://db1/wirehaven?sslpassword=***&ssl=true&targetServerType=primary", url.toString());
        assertTrue(url.value().contains("Phr4se"));
    }
}
