package dev.wirehaven.auth.local.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class UserRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final String HASH = "$shiro2$argon2id$v=19$t=2,m=19456,p=1$c2FsdA$aGFzaA";

    private final TestDatabase db;
    private final UserRepository users;

    UserRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, UserSchema.TRACK);
        users = new UserRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private static User user(String name) {
        return new User(name, HASH, false, T0, T0);
    }

    @Test
    void storesAndReadsBackAUser() {
        assertTrue(users.add(user("alice")));
        assertEquals(Optional.of(user("alice")), users.find("alice"));
        assertTrue(users.find("bob").isEmpty());
    }

    @Test
    void refusesASecondUserOfTheSameName() {
        assertTrue(users.add(user("alice")));
        assertFalse(users.add(new User("alice", "$other$hash", true, T1, T1)));
        assertEquals(HASH, users.find("alice").orElseThrow().passwordHash(), "the first user is unchanged");
    }

    @Test
    void namesAreCaseSensitive() {
        assertTrue(users.add(user("alice")));
        assertTrue(users.add(user("Alice")), "Alice is another user than alice");
        assertTrue(users.find("ALICE").isEmpty());
        assertEquals(
                List.of("Alice", "alice"), users.list().stream().map(User::name).toList());
    }

    @Test
    void listsEveryUserByName() {
        users.add(user("carol"));
        users.add(user("alice"));
        users.add(user("bob"));
        assertEquals(
                List.of("alice", "bob", "carol"),
                users.list().stream().map(User::name).toList());
    }

    @Test
    void listsNothingWhenThereAreNoUsers() {
        assertEquals(List.of(), users.list());
    }

    @Test
    void disablesAndEnablesAUser() {
        users.add(user("alice"));
        assertTrue(users.setDisabled("alice", true, T1));
        User disabled = users.find("alice").orElseThrow();
        assertTrue(disabled.disabled());
        assertEquals(T0, disabled.createdAt());
        assertEquals(T1, disabled.updatedAt());
        assertTrue(users.setDisabled("alice", false, T1));
        assertFalse(users.find("alice").orElseThrow().disabled());
    }

    @Test
    void replacesThePasswordHash() {
        users.add(user("alice"));
        assertTrue(users.setPasswordHash("alice", "$new$hash", T1));
        User changed = users.find("alice").orElseThrow();
        assertEquals("$new$hash", changed.passwordHash());
        assertEquals(T1, changed.updatedAt());
    }

    @Test
    void removesAUser() {
        users.add(user("alice"));
        users.add(user("bob"));
        assertTrue(users.remove("alice"));
        assertTrue(users.find("alice").isEmpty());
        assertEquals(List.of("bob"), users.list().stream().map(User::name).toList());
    }

    @Test
    void changesToAnUnknownUserReportThatNothingWasThere() {
        assertFalse(users.setDisabled("nobody", true, T1));
        assertFalse(users.setPasswordHash("nobody", HASH, T1));
        assertFalse(users.remove("nobody"));
        assertEquals(List.of(), users.list());
    }

    @Test
    void acceptsNamesOfOneToOneHundredTwentyEightCharactersInAnyScript() {
        String longest = "x".repeat(User.MAX_NAME_LENGTH);
        assertTrue(users.add(user(longest)));
        assertTrue(users.add(user("j")));
        assertTrue(users.add(user("Jürgen Groß")));
        assertTrue(users.add(user("alice@example.com")));
        assertTrue(users.find(longest).isPresent());
        assertTrue(users.find("Jürgen Groß").isPresent());
    }

    @Test
    void reportsABrokenStoreWithWhatWasBeingDone() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.createStatement().execute("DROP TABLE users");
        }
        StoreException e = assertThrows(StoreException.class, () -> users.find("alice"));
        assertTrue(e.getMessage().startsWith("Cannot read the user alice"), e.getMessage());
    }
}
