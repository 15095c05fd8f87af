package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.store.UserSchema;
import dev.wirehaven.server.support.store.TestDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code UserAccounts} service over the real administration and an H2 store. */
class LocalUserAccountsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final TestDatabase db = TestDatabase.migrated(UserSchema.TRACK);
    private final UserRepository repository = new UserRepository(db.dataSource());
    private final UserPasswords passwords = new UserPasswords(new SecureRandom());
    private final List<String> ended = new ArrayList<>();
    private final UserAdministration administration =
            new UserAdministration(repository, passwords, Clock.fixed(T0, ZoneOffset.UTC), (user, why) -> {
                ended.add(user + ": " + why);
                return 1;
            });
    private final LocalUserAccounts accounts = new LocalUserAccounts(administration);

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void listsTheUsersWithoutTheirHashes() throws Exception {
        administration.add("alice", "first".toCharArray());
        administration.add("bob", "second".toCharArray());
        administration.disable("bob");

        assertEquals(List.of(new UserAccount("alice", false, T0), new UserAccount("bob", true, T0)), accounts.list());
    }

    @Test
    void disableAndEnableChangeWhetherTheUserMayLogIn_andDisablingEndsItsSessions() throws Exception {
        administration.add("alice", "first".toCharArray());

        assertEquals(
                "User alice disabled: its password is refused until it is enabled again. 1 open session ended.",
                accounts.disable("alice"));
        assertTrue(repository.find("alice").orElseThrow().disabled());
        assertEquals(List.of("alice: user alice was disabled"), ended);

        assertEquals("User alice enabled.", accounts.enable("alice"));
        assertFalse(repository.find("alice").orElseThrow().disabled());
    }

    @Test
    void resetSetsTheNewPasswordAndEndsTheUsersSessions_withoutWipingTheCallersArray() throws Exception {
        administration.add("alice", "first".toCharArray());
        char[] password = "second one".toCharArray();

        assertEquals(
                "Password of user alice changed. 1 open session ended.", accounts.resetPassword("alice", password));
        String hash = repository.find("alice").orElseThrow().passwordHash();
        assertTrue(passwords.matches("second one".toCharArray(), hash));
        assertFalse(passwords.matches("first".toCharArray(), hash));
        assertEquals("second one", new String(password), "the caller owns the array and clears it");
        assertEquals(List.of("alice: the password of user alice was reset"), ended);
    }

    @Test
    void refusalsCarryTheAdministrationsSentence_andChangeNothing() throws Exception {
        assertEquals(
                "There is no user carol.",
                assertThrows(AdminActionException.class, () -> accounts.disable("carol"))
                        .getMessage());
        assertEquals(
                "There is no user carol.",
                assertThrows(AdminActionException.class, () -> accounts.enable("carol"))
                        .getMessage());
        administration.add("alice", "first".toCharArray());
        AdminActionException empty =
                assertThrows(AdminActionException.class, () -> accounts.resetPassword("alice", new char[0]));
        assertEquals("The password is empty; a user needs a password.", empty.getMessage());
        assertTrue(passwords.matches(
                "first".toCharArray(), repository.find("alice").orElseThrow().passwordHash()));
        assertTrue(ended.isEmpty());
    }

    @Test
    void aBrokenStoreIsAFailureWithItsReason() throws Exception {
        db.close();
        AdminActionException e = assertThrows(AdminActionException.class, accounts::list);
        assertTrue(e.getMessage().startsWith("The store failed: "), e.getMessage());
    }
}
