package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.store.UserSchema;
import dev.wirehaven.auth.local.internal.users.UserRequest.Operation;
import dev.wirehaven.server.support.store.TestDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserAdministrationTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final TestDatabase db = TestDatabase.migrated(UserSchema.TRACK);
    private final UserRepository repository = new UserRepository(db.dataSource());
    private final UserPasswords passwords = new UserPasswords(new SecureRandom());
    private final UserAdministration users =
            new UserAdministration(repository, passwords, Clock.fixed(T0, ZoneOffset.UTC));

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private boolean passwordOf(String name, String password) {
        return passwords.matches(
                password.toCharArray(), repository.find(name).orElseThrow().passwordHash());
    }

    @Test
    void addsAnEnabledUserWithAHashedPassword() throws Exception {
        assertEquals("User alice added.", users.add("alice", "correct horse".toCharArray()));
        assertEquals(List.of(new UserListing("alice", false, T0)), users.list());
        assertTrue(passwordOf("alice", "correct horse"));
        assertFalse(repository.find("alice").orElseThrow().passwordHash().contains("correct horse"));
    }

    @Test
    void refusesToAddAUserTwice() throws Exception {
        users.add("alice", "first".toCharArray());
        UserAdminException e = assertThrows(UserAdminException.class, () -> users.add("alice", "second".toCharArray()));
        assertEquals("User alice exists already (to change its password, reset it).", e.getMessage());
        assertTrue(passwordOf("alice", "first"));
    }

    @Test
    void disablesEnablesResetsAndRemoves() throws Exception {
        users.add("alice", "first".toCharArray());
        assertTrue(users.disable("alice").startsWith("User alice disabled"));
        assertTrue(users.list().get(0).disabled());
        assertEquals("User alice enabled.", users.enable("alice"));
        assertFalse(users.list().get(0).disabled());
        assertEquals("Password of user alice changed.", users.resetPassword("alice", "second".toCharArray()));
        assertTrue(passwordOf("alice", "second"));
        assertFalse(passwordOf("alice", "first"));
        assertEquals("User alice removed.", users.remove("alice"));
        assertEquals(List.of(), users.list());
    }

    @Test
    void disablingOrRemovingAUserEndsItsOpenSessionsAndSaysHowMany() throws Exception {
        List<String> ended = new java.util.ArrayList<>();
        UserAdministration withSessions =
                new UserAdministration(repository, passwords, Clock.fixed(T0, ZoneOffset.UTC), (user, why) -> {
                    ended.add(user + ": " + why);
                    return user.equals("alice") ? 2 : 0;
                });
        withSessions.add("alice", "first".toCharArray());
        withSessions.add("bob", "second".toCharArray());

        assertEquals(
                "User alice disabled: its password is refused until it is enabled again. 2 open sessions ended.",
                withSessions.disable("alice"));
        assertEquals("User bob removed.", withSessions.remove("bob"));
        assertEquals(List.of("alice: user alice was disabled", "bob: user bob was removed"), ended);
        assertThrows(UserAdminException.class, () -> withSessions.disable("carol"));
        assertEquals(2, ended.size(), "no session layer call for a user that does not exist");
    }

    @Test
    void resettingAPasswordEndsTheUsersOpenSessionsToo() throws Exception {
        List<String> ended = new java.util.ArrayList<>();
        UserAdministration withSessions =
                new UserAdministration(repository, passwords, Clock.fixed(T0, ZoneOffset.UTC), (user, why) -> {
                    ended.add(user + ": " + why);
                    return 1;
                });
        withSessions.add("alice", "first".toCharArray());

        assertEquals(
                "Password of user alice changed. 1 open session ended.",
                withSessions.resetPassword("alice", "second".toCharArray()));
        assertEquals(List.of("alice: the password of user alice was reset"), ended);
    }

    @Test
    void saysSoWhenThereIsNoSuchUser() {
        for (Operation o : List.of(Operation.DISABLE, Operation.ENABLE, Operation.RESET, Operation.REMOVE)) {
            UserRequest request = new UserRequest(o, "bob", o.withPassword ? "pw".toCharArray() : null);
            UserAdminException e = assertThrows(UserAdminException.class, () -> users.perform(request), o.word());
            assertEquals("There is no user bob.", e.getMessage());
        }
    }

    @Test
    void refusesNamesThatCannotBeAUsers() {
        UserAdminException e = assertThrows(UserAdminException.class, () -> users.add("a\tb", "pw".toCharArray()));
        assertTrue(
                e.getMessage().startsWith("Invalid user name: a user name must not contain control characters"),
                e.getMessage());
        assertThrows(UserAdminException.class, () -> users.add("", "pw".toCharArray()));
        assertThrows(UserAdminException.class, () -> users.disable("x".repeat(129)));
    }

    @Test
    void refusesEmptyOverlongAndMultiLinePasswords() {
        assertEquals(
                "The password is empty; a user needs a password.",
                assertThrows(UserAdminException.class, () -> users.add("alice", new char[0]))
                        .getMessage());
        assertThrows(
                UserAdminException.class,
                () -> users.add(
                        "alice",
                        "x".repeat(UserAdministration.MAX_PASSWORD_LENGTH + 1).toCharArray()));
        assertThrows(UserAdminException.class, () -> users.add("alice", "two\nlines".toCharArray()));
        assertThrows(UserAdminException.class, () -> users.resetPassword("alice", new char[0]));
        assertTrue(repository.list().isEmpty());
    }

    @Test
    void acceptsALongPasswordUpToTheLimit() throws Exception {
        String longest = "p".repeat(UserAdministration.MAX_PASSWORD_LENGTH);
        users.add("alice", longest.toCharArray());
        assertTrue(passwordOf("alice", longest));
    }

    @Test
    void performsARequestAndSaysWhatItDid() throws Exception {
        users.perform(new UserRequest(Operation.ADD, "alice", "pw".toCharArray()));
        users.perform(new UserRequest(Operation.ADD, "bob", "pw".toCharArray()));
        UserOutcome listed = users.perform(new UserRequest(Operation.LIST, null, null));
        assertEquals("2 users.", listed.sentence());
        assertEquals(
                List.of("alice", "bob"),
                listed.users().stream().map(UserListing::name).toList());
        UserOutcome removed = users.perform(new UserRequest(Operation.REMOVE, "bob", null));
        assertNull(removed.users());
        assertEquals("User bob removed.\n", removed.render());
    }

    @Test
    void reportsABrokenStoreAsAFailureWithItsReason() throws Exception {
        db.close();
        UserAdminException e = assertThrows(UserAdminException.class, users::list);
        assertTrue(e.getMessage().startsWith("The store failed: Cannot list the users"), e.getMessage());
    }

    @Test
    void listsUsersAsATable() {
        String table = UserListing.table(List.of(
                new UserListing("alice", false, T0.plusNanos(123_456_000)),
                new UserListing("bob-the-builder", true, T0)));
        assertEquals("""
                NAME             DISABLED  CREATED
                alice            no        2026-11-25T10:00:00Z
                bob-the-builder  yes       2026-11-25T10:00:00Z
                """, table);
        assertEquals("No users.\n", UserListing.table(List.of()));
    }
}
