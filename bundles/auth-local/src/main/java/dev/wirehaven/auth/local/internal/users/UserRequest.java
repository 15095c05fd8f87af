package dev.wirehaven.auth.local.internal.users;

import java.util.Arrays;
import java.util.Locale;

/**
 * One user operation as an operator asked for it, from the command line or through the admin
 * socket. The password array belongs to the request; {@link #clear()} wipes it.
 *
 * @param operation what to do
 * @param name the user, or null for {@link Operation#LIST}
 * @param password the password for {@link Operation#ADD} and {@link Operation#RESET}, else null
 */
record UserRequest(Operation operation, String name, char[] password) {

    /** The operations, each with whether it names a user and whether it carries a password. */
    enum Operation {
        ADD(true, true),
        LIST(false, false),
        DISABLE(true, false),
        ENABLE(true, false),
        RESET(true, true),
        REMOVE(true, false);

        final boolean named;
        final boolean withPassword;

        Operation(boolean named, boolean withPassword) {
            this.named = named;
            this.withPassword = withPassword;
        }

        /** The word on the command line and in the protocol: {@code add}, {@code list}, ... */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The operation of that word, or null. */
        static Operation of(String word) {
            for (Operation o : values()) {
                if (o.word().equals(word)) {
                    return o;
                }
            }
            return null;
        }
    }

    void clear() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }

    /** What may be logged: the operation and the user, never the password; control characters as spaces. */
    @Override
    public String toString() {
        return AdminProtocol.oneLine("user " + operation.word() + (name == null ? "" : " " + name));
    }
}
