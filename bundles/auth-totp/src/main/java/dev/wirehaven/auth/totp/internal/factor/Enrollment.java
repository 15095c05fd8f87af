package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.auth.totp.internal.codes.BackupCodes;
import dev.wirehaven.auth.totp.internal.codes.Base32;
import dev.wirehaven.auth.totp.internal.codes.OtpAuthUri;
import dev.wirehaven.auth.totp.internal.codes.PresentedCode;
import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.crypto.KeyFileException;
import dev.wirehaven.auth.totp.internal.crypto.SecretCipher;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeys;
import dev.wirehaven.auth.totp.internal.crypto.UnreadableSecretException;
import dev.wirehaven.auth.totp.internal.qr.QrCode;
import dev.wirehaven.auth.totp.internal.store.StoredSecret;
import dev.wirehaven.auth.totp.internal.store.TotpRepository;
import dev.wirehaven.auth.totp.internal.store.UserNames;
import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import dev.wirehaven.server.support.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What an operator does to set up users' authenticators, with the checks and the sentences that the Gogo
 * commands and the offline command line share: enroll, confirm, backup codes, status, remove. Each method
 * returns the text to show and throws {@link EnrollmentException} with the sentence to show on refusal.
 *
 * <p><b>Confirmation is explicit</b> ({@code totp:confirm <user> <code>}), not implied by a first login:
 * until a code from the app has been accepted once, nobody knows that the scan worked, so the user counts
 * as not enrolled ({@code AuthProvider.enrolled} is false) and a realm that asks enrolled users for a
 * second factor does not lock them out. Logins never change enrollment state. Confirming records the
 * code's step, so the confirming code cannot then be used to log in.
 *
 * <p>The QR code image holds the secret: it is written owner-only and deleted when the enrollment is
 * confirmed or removed.
 */
final class Enrollment {

    /** Bytes of a new secret: 160 bits, the length RFC 4226 section 4 recommends (and SHA1's block output). */
    static final int SECRET_BYTES = 20;

    /** Where enrollment images are written in the data directory. */
    static final String IMAGE_DIRECTORY = "totp";

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._@+=,/:%-]+");

    private final TotpRepository repository;
    private final Keyring keyring;
    private final TotpSettings settings;
    private final Path dataDirectory;
    private final SecureRandom random;
    private final Clock clock;
    private final Verification verification;
    private final UnaryOperator<String> command;

    /**
     * @param command how the operator runs a subcommand here, for the hints: {@code confirm} is
     *        {@code totp:confirm} in Gogo and {@code bin/wirehaven totp confirm} in a shell
     */
    Enrollment(
            TotpRepository repository,
            Keyring keyring,
            TotpSettings settings,
            Path dataDirectory,
            SecureRandom random,
            Clock clock,
            UnaryOperator<String> command) {
        this.repository = repository;
        this.keyring = keyring;
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.random = random;
        this.clock = clock;
        this.verification = new Verification(repository, keyring, random, clock, settings.windowSteps());
        this.command = command;
    }

    /** Enrolls {@code user}, with the QR image in its default place. */
    String enroll(String user) throws EnrollmentException {
        return enroll(user, null);
    }

    /**
     * Makes a new secret for {@code user}: stores it unconfirmed (replacing an unconfirmed one), and
     * shows what the app needs: the QR code, the secret for typing, the otpauth URI, and where the image is.
     *
     * @param image where to write the QR code image, or null for {@code <data>/totp/enroll-<user>-<hash>.png}
     */
    String enroll(String user, Path image) throws EnrollmentException {
        Started started = start(user);
        QrCode qr = QrCode.of(started.uri());
        Path target = image == null ? imageOf(user) : image.toAbsolutePath();
        String written = writeImage(target, qr);
        Totp totp = started.totp();
        return started.sentence() + "\n"
                + "Scan this QR code with the authenticator app:\n\n"
                + qr.toTerminalText()
                + "\nOr add it by hand: account " + user + ", issuer " + settings.issuer() + ", key "
                + started.key() + "\n(time-based, " + totp.algorithm() + ", " + totp.digits()
                + " digits, every " + totp.periodSeconds() + " s).\n"
                + "URI: " + started.uri() + "\n"
                + written
                + "Then confirm with a code the app shows: " + hint("confirm", user) + " <code>\n";
    }

    /**
     * Enrolls {@code user} for a front end that shows the URI and the key itself (the web console): no
     * image is written, and one left by an earlier enrollment, whose secret this one replaces, is deleted.
     */
    NewAuthenticator enrollForDisplay(String user) throws EnrollmentException {
        Started started = start(user);
        String removed = deleteImage(user).strip();
        return new NewAuthenticator(
                user, started.uri(), started.key(), started.sentence() + (removed.isEmpty() ? "" : " " + removed));
    }

    /**
     * A stored, unconfirmed secret as the app takes it. The URI and the key carry the secret as text:
     * Strings the JVM cannot wipe.
     */
    private record Started(String uri, String key, Totp totp, String sentence) {}

    private Started start(String user) throws EnrollmentException {
        checkName(user);
        TotpKeys keys;
        try {
            keys = keyring.forEnrolling();
        } catch (KeyFileException e) {
            throw new EnrollmentException(e.getMessage(), e);
        } catch (StoreException e) {
            throw storeFailed(e);
        }
        Totp totp = settings.newEnrollment();
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            SecretCipher.Sealed sealed = new SecretCipher(keys, random).seal(user, secret);
            TotpRepository.Enrolled result =
                    store(() -> repository.enroll(StoredSecret.enrolled(user, sealed, totp, now)));
            switch (result) {
                case ALREADY_CONFIRMED ->
                    throw new EnrollmentException(user + " has a confirmed authenticator already. To set up another"
                            + " one (a new phone), remove it first: " + hint("remove", user) + ".");
                case RACED ->
                    throw new EnrollmentException(
                            "Another enrollment of " + user + " was stored at the same moment; nothing was changed by"
                                    + " this one. Check with " + hint("status", user) + ".");
                default -> {}
            }
            return new Started(
                    OtpAuthUri.of(settings.issuer(), user, secret, totp),
                    grouped(Base32.encode(secret)),
                    totp,
                    "Authenticator for " + user + " enrolled"
                            + (result == TotpRepository.Enrolled.REPLACED ? ", replacing the unconfirmed one" : "")
                            + "; not confirmed yet, so " + user + "'s logins do not ask for its codes.");
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Confirms {@code user}'s enrollment with a code from the app. */
    String confirm(String user, String code) throws EnrollmentException {
        checkName(user);
        StoredSecret stored = store(() -> repository.find(user))
                .orElseThrow(() -> new EnrollmentException(
                        user + " has no authenticator to confirm; enroll one first: " + hint("enroll", user) + "."));
        if (stored.confirmed()) {
            throw new EnrollmentException("The authenticator of " + user + " is confirmed already.");
        }
        if (!(PresentedCode.of(code) instanceof PresentedCode.TimeBased timeBased)
                || timeBased.digits().length() != stored.totp().digits()) {
            throw new EnrollmentException("That is not a code of " + user + "'s authenticator: it shows "
                    + stored.totp().digits() + " digits.");
        }
        OptionalLong step;
        try {
            step = verification.matchingStep(keyring.required(), stored, timeBased.digits());
        } catch (KeyFileException e) {
            throw new EnrollmentException(e.getMessage(), e);
        } catch (UnreadableSecretException e) {
            throw new EnrollmentException("The secret of " + user + " does not decrypt with the key file "
                    + keyring.file().path() + "; enroll " + user + " again.");
        }
        if (step.isEmpty()
                || !store(() -> repository.confirm(user, stored.sealed().nonce(), step.getAsLong(), clock.instant()))) {
            throw new EnrollmentException("The code does not match " + user + "'s new authenticator now. Check that it"
                    + " comes from the account '" + settings.issuer() + ": " + user + "' and that the phone's clock is"
                    + " right, then try again with the next code.");
        }
        String removed = deleteImage(user);
        return "Authenticator of " + user + " confirmed: " + user + "'s logins now ask for its codes where the realm"
                + " asks for totp.\n" + removed
                + "Make backup codes in case the phone is lost: " + hint("backup-codes", user) + "\n";
    }

    /** Replaces {@code user}'s backup codes with ten new ones, shown once. */
    String backupCodes(String user) throws EnrollmentException {
        checkName(user);
        Optional<StoredSecret> stored = store(() -> repository.find(user));
        if (stored.isEmpty() || !stored.get().confirmed()) {
            throw notConfirmed(user);
        }
        TotpKeys keys;
        try {
            keys = keyring.required();
        } catch (KeyFileException e) {
            throw new EnrollmentException(e.getMessage(), e);
        }
        List<String> codes = new BackupCodes(random).generate();
        List<String> hashes = new ArrayList<>(codes.size());
        for (String code : codes) {
            hashes.add(keys.backupCodeHash(user, BackupCodes.normalise(code).orElseThrow()));
        }
        if (!store(() -> repository.replaceBackupCodes(user, hashes, clock.instant()))) {
            throw notConfirmed(user);
        }
        StringBuilder out = new StringBuilder();
        out.append(codes.size())
                .append(" new backup codes for ")
                .append(user)
                .append(". Each works once in place of a code from the app; the earlier ones no longer work.\n")
                .append("They are shown only now: print them or hand them over.\n\n");
        for (String code : codes) {
            out.append("    ").append(code).append('\n');
        }
        return out.append('\n').toString();
    }

    /** Where {@code user}'s enrollment stands, for a front end that shows it its own way. */
    SecondFactorStatus standing(String user) throws EnrollmentException {
        checkName(user);
        Optional<StoredSecret> stored = store(() -> repository.find(user));
        if (stored.isEmpty()) {
            return new SecondFactorStatus(user, SecondFactorStatus.State.NONE, 0);
        }
        if (!stored.get().confirmed()) {
            return new SecondFactorStatus(user, SecondFactorStatus.State.UNCONFIRMED, 0);
        }
        return new SecondFactorStatus(
                user, SecondFactorStatus.State.CONFIRMED, store(() -> repository.backupCodesLeft(user)));
    }

    /** Says whether {@code user} is enrolled, and how many backup codes are left. */
    String status(String user) throws EnrollmentException {
        checkName(user);
        Optional<StoredSecret> stored = store(() -> repository.find(user));
        if (stored.isEmpty()) {
            return user + " has no authenticator (not enrolled).\n";
        }
        StoredSecret s = stored.get();
        String parameters = s.totp().algorithm() + ", " + s.totp().digits() + " digits, every "
                + s.totp().periodSeconds() + " s";
        if (!s.confirmed()) {
            return user + " has an authenticator enrolled " + s.createdAt() + ", not confirmed yet (" + parameters
                    + "); confirm it with " + hint("confirm", user) + " <code>.\n";
        }
        int left = store(() -> repository.backupCodesLeft(user));
        String lastCode = s.lastStep() == StoredSecret.NO_STEP
                ? "none accepted yet"
                : "last accepted for "
                        + Instant.ofEpochSecond(s.lastStep() * s.totp().periodSeconds());
        return user + " has a confirmed authenticator (" + parameters + "), enrolled " + s.createdAt()
                + ", confirmed " + s.confirmedAt() + "; codes: " + lastCode + "; " + left
                + (left == 1 ? " backup code" : " backup codes") + " left.\n";
    }

    /** Removes {@code user}'s authenticator and backup codes. */
    String remove(String user) throws EnrollmentException {
        checkName(user);
        if (!store(() -> repository.remove(user))) {
            throw new EnrollmentException(user + " has no authenticator.");
        }
        return "Authenticator and backup codes of " + user + " removed; " + user + " may enroll again.\n"
                + deleteImage(user);
    }

    /** {@code <data>/totp/enroll-<name>-<hash>.png}: the name made safe for a file name, the hash keeps names apart. */
    Path imageOf(String user) {
        StringBuilder safe = new StringBuilder();
        user.codePoints()
                .limit(32)
                .forEach(c -> safe.append(
                        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                                ? (char) c
                                : '_'));
        String tag = HexFormat.of().formatHex(sha256(user), 0, 4);
        return dataDirectory.resolve(IMAGE_DIRECTORY).resolve("enroll-" + safe + "-" + tag + ".png");
    }

    private static String writeImage(Path target, QrCode qr) {
        try {
            OwnerOnlyFiles.replace(target, qr.toPng());
            return "QR code image: " + target + " (owner-only; it holds the secret, and is deleted when the enrollment"
                    + " is confirmed or removed)\n";
        } catch (IOException e) {
            return "The QR code image could not be written to " + target + ": " + e.getMessage() + "\n";
        }
    }

    private String deleteImage(String user) {
        Path image = imageOf(user);
        try {
            return Files.deleteIfExists(image) ? "QR code image " + image + " deleted.\n" : "";
        } catch (IOException e) {
            return "Delete the QR code image " + image + " by hand (it holds the secret): " + e.getMessage() + "\n";
        }
    }

    private EnrollmentException notConfirmed(String user) {
        return new EnrollmentException(user + " has no confirmed authenticator; backup codes stand in for its codes, so"
                + " enroll and confirm one first (" + hint("enroll", user) + ").");
    }

    /**
     * The command line that runs {@code subcommand} for {@code user}, ready to copy: a name with blanks
     * or other characters that Gogo and a POSIX shell treat specially is single-quoted, which both
     * read alike.
     */
    String hint(String subcommand, String user) {
        String name = PLAIN_NAME.matcher(user).matches() ? user : "'" + user.replace("'", "'\\''") + "'";
        return command.apply(subcommand) + " " + name;
    }

    /** {@code ABCDEFGHIJ...} as {@code ABCD EFGH IJ..}, as apps show keys for typing. */
    static String grouped(String base32) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base32.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(base32, i, Math.min(i + 4, base32.length()));
        }
        return out.toString();
    }

    private static void checkName(String user) throws EnrollmentException {
        try {
            UserNames.check(user);
        } catch (IllegalArgumentException e) {
            throw new EnrollmentException("Invalid user name: " + e.getMessage() + ".");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static EnrollmentException storeFailed(StoreException e) {
        return new EnrollmentException("The store failed: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T run();
    }

    private static <T> T store(StoreCall<T> call) throws EnrollmentException {
        try {
            return call.run();
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }
}
