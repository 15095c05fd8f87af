package dev.wirehaven.auth.local.internal.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String HASH = "$shiro2$argon2id$v=19$t=2,m=19456,p=1$c2FsdA$aGFzaA";

    private static User user(String name) {
        return new User(name, HASH, false, T0, T0);
    }

    @Test
    void refusesNamesThatCannotBeAUsers() {
        for (String bad : new String[] {
            "",
            "x".repeat(User.MAX_NAME_LENGTH + 1),
            "tab\there",
            "new\nline",
            "nul\0",
            "del\u007f",
            " ",
            " padded",
            "padded "
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> user(bad), "name [" + bad + "]");
            assertTrue(e.getMessage().startsWith("a user name must"), e.getMessage());
        }
    }

    @Test
    void doesNotPrintThePasswordHash() {
        assertFalse(user("alice").toString().contains(HASH));
    }
}
