package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.OneTimeCode;
import dev.wirehaven.auth.totp.internal.codes.Base32;
import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.store.TotpSchema;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.MutableClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TOTP factor over a fresh database and data directory, on a clock the test moves: users enrolled
 * through the operator's commands, codes from their secrets as the app computes them, and logins as the
 * server's auth chain makes them (after a password).
 */
final class Fixture implements AutoCloseable {

    /** Five seconds into a time step, so that a step ahead or behind is a whole period away. */
    static final Instant T0 = Instant.parse("2026-11-25T10:00:05Z");

    static final Totp APP = new Totp(Totp.Algorithm.SHA1, 6, 30);
    static final Duration PERIOD = Duration.ofSeconds(30);

    private static final Pattern SECRET = Pattern.compile("[?&]secret=([A-Z2-7]+)");
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    final TestDatabase db;
    final Path data;
    final MutableClock clock = new MutableClock(T0);
    final TotpUsers users;
    final Enrollment enrollment;
    final TotpAuthProvider provider;

    Fixture(TestDatabase.Engine engine, Path data) {
        this(TestDatabase.migrated(engine, TotpSchema.TRACK), data, TotpSettings.DEFAULTS);
    }

    Fixture(TestDatabase db, Path data, TotpSettings settings) {
        this.db = db;
        this.data = data;
        this.users = new TotpUsers(db.dataSource(), data, settings, new SecureRandom(), clock);
        this.enrollment = users.enrollment(command -> "totp:" + command);
        this.provider = new TotpAuthProvider(users.verification());
    }

    /** A second server process over the same database and data directory: it reads the key file afresh. */
    Fixture restarted() {
        Fixture again = new Fixture(db, data, TotpSettings.DEFAULTS);
        again.clock.advance(Duration.between(T0, clock.instant()));
        return again;
    }

    /** The secret in the otpauth URI of an enrollment's output. */
    static byte[] secretIn(String output) {
        Matcher m = SECRET.matcher(output);
        if (!m.find()) {
            throw new AssertionError("no otpauth secret in:\n" + output);
        }
        return Base32.decode(m.group(1));
    }

    /** Enrolls {@code user} (unconfirmed) and returns the secret that the app would scan. */
    byte[] enroll(String user) throws EnrollmentException {
        return secretIn(enrollment.enroll(user));
    }

    /**
     * Enrolls and confirms {@code user}, then lets two periods pass: the confirming code's step is then
     * out of the window, and the codes of the whole window (one step back, now, one ahead) are fresh.
     */
    byte[] enrolledAndConfirmed(String user) throws EnrollmentException {
        byte[] secret = enroll(user);
        enrollment.confirm(user, code(secret, 0));
        clock.advance(PERIOD.multipliedBy(2));
        return secret;
    }

    /** The app's code {@code steps} time steps from now. */
    String code(byte[] secret, int steps) {
        return APP.code(secret, APP.step(clock.instant()) + steps);
    }

    /** Who the password proved. */
    static Identity established(String user) {
        return new Identity(user, Set.of("staff"), Map.of("mail", user + "@example.com"));
    }

    /** A second factor after the password, as the chain asks it. */
    AuthResult login(String user, String code) {
        return provider.authenticate(
                new AuthRequest(new OneTimeCode(code), CLIENT, established(user), List.of("password")));
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
