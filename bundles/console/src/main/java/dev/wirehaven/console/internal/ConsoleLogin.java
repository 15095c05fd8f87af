package dev.wirehaven.console.internal;

import dev.wirehaven.api.admin.AdminAuthenticator;
import dev.wirehaven.api.auth.PasswordCredential;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one console request from its {@code Authorization} header: the admin user when the header
 * carries the admin credential, empty otherwise. A refused credential is logged at WARN with the user
 * name as typed and the client address (never the password); a request without credentials (the
 * browser's first try, before it asks the user) is not a refusal and is not logged. The presented
 * password is wiped once it has been checked.
 */
final class ConsoleLogin {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogin.class);

    private final AdminAuthenticator authenticator;

    /** Told of each refused credential: the user name as typed (printable) and the client's address. */
    private final java.util.function.BiConsumer<String, String> refused;

    ConsoleLogin(AdminAuthenticator authenticator) {
        this(authenticator, (user, address) -> {});
    }

    ConsoleLogin(AdminAuthenticator authenticator, java.util.function.BiConsumer<String, String> refused) {
        this.authenticator = authenticator;
        this.refused = refused;
    }

    Optional<AdminUser> login(String authorizationHeader, String remoteAddress) {
        Optional<PasswordCredential> presented = BasicAuthorization.parse(authorizationHeader);
        if (presented.isEmpty()) {
            return Optional.empty();
        }
        try (PasswordCredential credential = presented.get()) {
            if (authenticator.verify(credential)) {
                return Optional.of(new AdminUser(credential.username()));
            }
            LOG.warn(
                    "Web console login refused for user '{}' from {}", printable(credential.username()), remoteAddress);
            refused.accept(printable(credential.username()), remoteAddress);
            return Optional.empty();
        }
    }

    /** A user name as typed, cut to a sane length and without control characters, so it cannot forge log lines. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), 64));
        text.codePoints().limit(64).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
