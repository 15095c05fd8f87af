package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.store.User;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.server.support.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What an operator can do to the local users, with the checks and the messages that every way in
 * shares: the gogo commands, the admin socket, and the command line when no server runs. Each
 * method returns the sentence to show on success and throws {@link UserAdminException} with the
 * sentence to show on failure.
 */
final class UserAdministration {

    /** Longer passwords are refused: nobody types them, and they would only feed the hash. */
    static final int MAX_PASSWORD_LENGTH = 1024;

    private final UserRepository users;
    private final UserPasswords passwords;
    private final Clock clock;
    private final OpenSessions sessions;

    UserAdministration(UserRepository users, UserPasswords passwords, Clock clock) {
        this(users, passwords, clock, OpenSessions.NONE);
    }

    UserAdministration(UserRepository users, UserPasswords passwords, Clock clock, OpenSessions sessions) {
        this.users = users;
        this.passwords = passwords;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** Carries out {@code request}; does not wipe its password. */
    UserOutcome perform(UserRequest request) throws UserAdminException {
        String name = request.name();
        return switch (request.operation()) {
            case ADD -> new UserOutcome(add(name, request.password()), null);
            case LIST -> {
                List<UserListing> all = list();
                yield new UserOutcome(all.size() + (all.size() == 1 ? " user." : " users."), all);
            }
            case DISABLE -> new UserOutcome(disable(name), null);
            case ENABLE -> new UserOutcome(enable(name), null);
            case RESET -> new UserOutcome(resetPassword(name, request.password()), null);
            case REMOVE -> new UserOutcome(remove(name), null);
        };
    }

    /** Adds an enabled user; does not wipe {@code password}. */
    String add(String name, char[] password) throws UserAdminException {
        checkName(name);
        checkPassword(password);
        Instant now = clock.instant();
        boolean added = store(() -> users.add(new User(name, passwords.hash(password), false, now, now)));
        if (!added) {
            throw new UserAdminException("User " + name + " exists already (to change its password, reset it).");
        }
        return "User " + name + " added.";
    }

    /** Every user, by name. */
    List<UserListing> list() throws UserAdminException {
        return store(users::list).stream().map(UserListing::of).toList();
    }

    String disable(String name) throws UserAdminException {
        checkName(name);
        requireFound(name, store(() -> users.setDisabled(name, true, clock.instant())));
        return "User " + name + " disabled: its password is refused until it is enabled again."
                + ended(sessions.endAllOf(name, "user " + name + " was disabled"));
    }

    String enable(String name) throws UserAdminException {
        checkName(name);
        requireFound(name, store(() -> users.setDisabled(name, false, clock.instant())));
        return "User " + name + " enabled.";
    }

    /**
     * Sets a new password and ends the user's open sessions: a password is reset because the old one
     * may be known to someone else, whose tunnel must not outlive it. Does not wipe {@code password}.
     */
    String resetPassword(String name, char[] password) throws UserAdminException {
        checkName(name);
        checkPassword(password);
        String hash = passwords.hash(password);
        requireFound(name, store(() -> users.setPasswordHash(name, hash, clock.instant())));
        return "Password of user " + name + " changed."
                + ended(sessions.endAllOf(name, "the password of user " + name + " was reset"));
    }

    String remove(String name) throws UserAdminException {
        checkName(name);
        requireFound(name, store(() -> users.remove(name)));
        return "User " + name + " removed." + ended(sessions.endAllOf(name, "user " + name + " was removed"));
    }

    private static String ended(int sessions) {
        return sessions == 0 ? "" : " " + sessions + (sessions == 1 ? " open session" : " open sessions") + " ended.";
    }

    /** Refuses an empty, overlong or multi-line password, with the reason. */
    static void checkPassword(char[] password) throws UserAdminException {
        if (password == null || password.length == 0) {
            throw new UserAdminException("The password is empty; a user needs a password.");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw new UserAdminException("The password is longer than " + MAX_PASSWORD_LENGTH + " characters.");
        }
        for (char c : password) {
            if (c == '\n' || c == '\r') {
                throw new UserAdminException("The password contains a line break; it must be one line.");
            }
        }
    }

    private static void checkName(String name) throws UserAdminException {
        try {
            User.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new UserAdminException("Invalid user name: " + e.getMessage() + ".");
        }
    }

    private static void requireFound(String name, boolean found) throws UserAdminException {
        if (!found) {
            throw new UserAdminException("There is no user " + name + ".");
        }
    }

    private static <T> T store(StoreCall<T> call) throws UserAdminException {
        try {
            return call.run();
        } catch (StoreException e) {
            throw new UserAdminException("The store failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T run();
    }
}
