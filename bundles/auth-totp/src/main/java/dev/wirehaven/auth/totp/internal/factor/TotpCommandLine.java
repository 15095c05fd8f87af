package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.server.support.files.DataDirectory;
import dev.wirehaven.server.support.files.StoreChoice;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.store.embedded.OfflineStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/wirehaven totp ...}: the enrollment commands of {@link TotpCommand} from a shell, while the
 * server is stopped. A plain Java main on the class path of the installation's {@code bundle/} jars,
 * outside the framework: it opens the embedded store in the data directory (through the store bundle's
 * published {@link OfflineStore}), brings the {@code totp} tables up to date and works on them, with the
 * key file {@code <data>/totp.key} and the issuer, digits and period of
 * {@code etc/dev.wirehaven.auth.totp.cfg}.
 *
 * <p>The embedded database can be open in one process only: while the server runs, this says so and
 * points to the same commands in the server's console ({@code totp:enroll alice}).
 */
public final class TotpCommandLine {

    static final int DONE = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String LOGGING = "dev/wirehaven/auth/totp/internal/factor/command-line-logback.xml";
    static final String CONFIGURATION_FILE = TotpSettings.PID + ".cfg";

    static final String HELP = """
            Usage: bin/wirehaven totp <command> [arguments]

            Sets up the second factor 'totp' (codes from an authenticator app) for users, while the server is
            stopped; while it runs, use the same commands in its console (totp:enroll alice, ...).

              enroll <user> [--png FILE]   makes a new secret for the user: shows its QR code and otpauth URI, and
                                           writes the QR code as an owner-only PNG (default <data>/totp/)
              confirm <user> <code>        confirms the enrollment with a code from the app; from then on the
                                           user is enrolled, and realms that ask enrolled users ask for codes
              backup-codes <user>          makes ten new single-use backup codes, for a lost phone, and shows
                                           them once; the earlier ones stop working
              status <user>                says whether the user is enrolled and how many backup codes are left
              remove <user>                removes the user's authenticator and backup codes

            The secrets are encrypted with the key in <data>/totp.key, made at the first enrollment; run this
            as the user that runs the server. Issuer, digits and period come from
            etc/dev.wirehaven.auth.totp.cfg (issuer, digits, period.seconds).
            Exit status: 0 done, 1 refused or failed, 2 wrong usage.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Properties system;
    private final SecureRandom random;
    private final Clock clock;

    TotpCommandLine(PrintStream out, PrintStream err, Properties system, SecureRandom random, Clock clock) {
        this.out = out;
        this.err = err;
        this.system = system;
        this.random = random;
        this.clock = clock;
    }

    public static void main(String[] args) {
        // warnings of the libraries go to stderr; the lines of the server's log configuration would be noise here
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int status = new TotpCommandLine(out, System.err, System.getProperties(), new SecureRandom(), Clock.systemUTC())
                .run(args);
        out.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    int run(String[] args) {
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wirehaven totp: " + e.getMessage());
            err.print(HELP);
            return USAGE;
        }
        if (invocation == null) {
            out.print(HELP);
            return DONE;
        }
        try {
            out.print(execute(invocation));
            return DONE;
        } catch (EnrollmentException e) {
            err.println("wirehaven totp: " + e.getMessage());
            return FAILED;
        }
    }

    private String execute(Invocation invocation) throws EnrollmentException {
        TotpSettings settings = settings();
        Path data;
        try {
            data = DataDirectory.installed(system);
        } catch (IOException e) {
            throw new EnrollmentException(
                    "Cannot read etc/config.properties to find the data directory: " + e.getMessage(), e);
        }
        if (Files.isDirectory(data) && !(Files.isReadable(data) && Files.isExecutable(data))) {
            throw new EnrollmentException("The data directory " + data + " is not open to this user; run 'bin/wirehaven"
                    + " totp' as the user that runs the server (the owner of " + data + ").");
        }
        String refusal;
        try {
            refusal = StoreChoice.offlineRefusal(
                    system,
                    "bin/wirehaven totp",
                    "use the same command in the console of a running node (totp:enroll <user>, ...)");
        } catch (IOException e) {
            throw new EnrollmentException("Cannot read etc/config.properties to find the store: " + e.getMessage(), e);
        }
        if (refusal != null) {
            throw new EnrollmentException("The store cannot be opened here: " + refusal + ".");
        }
        try (OfflineStore offline = open(data)) {
            TotpUsers.migrate(offline.dataSource());
            Enrollment enrollment = new TotpUsers(offline.dataSource(), data, settings, random, clock)
                    .enrollment(command -> "bin/wirehaven totp " + command);
            String user = invocation.user();
            return switch (invocation.command()) {
                case "enroll" -> enrollment.enroll(user, invocation.png());
                case "confirm" -> enrollment.confirm(user, invocation.code());
                case TotpCommand.BACKUP_CODES -> enrollment.backupCodes(user);
                case "status" -> enrollment.status(user);
                case "remove" -> enrollment.remove(user);
                default -> throw new IllegalStateException("parsed an unknown command " + invocation.command());
            };
        } catch (StoreException e) {
            throw new EnrollmentException("The store failed: " + e.getMessage(), e);
        }
    }

    /** The settings of {@code <home>/etc/dev.wirehaven.auth.totp.cfg}, or the defaults without one. */
    private TotpSettings settings() throws EnrollmentException {
        String home = system.getProperty(DataDirectory.HOME_PROPERTY);
        Path file = home == null || home.isBlank() ? null : Path.of(home, "etc", CONFIGURATION_FILE);
        if (file == null || !Files.isRegularFile(file)) {
            return TotpSettings.DEFAULTS;
        }
        Properties cfg = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            cfg.load(in);
        } catch (IOException e) {
            throw new EnrollmentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new HashMap<>();
        cfg.stringPropertyNames().forEach(k -> values.put(k, cfg.getProperty(k)));
        try {
            return TotpSettings.of(values);
        } catch (IllegalArgumentException e) {
            throw new EnrollmentException("The configuration " + file + " is refused: " + e.getMessage() + ".", e);
        }
    }

    /**
     * The embedded store, opened by this process.
     *
     * @throws EnrollmentException saying why it cannot be opened (most often: the server holds it)
     */
    private static OfflineStore open(Path data) throws EnrollmentException {
        try {
            return OfflineStore.open(data);
        } catch (IOException | SQLException e) {
            String reason =
                    e instanceof AccessDeniedException ? "permission denied on " + e.getMessage() : e.getMessage();
            throw new EnrollmentException("The store in " + data + " cannot be opened: " + firstLine(reason)
                    + ". While the server runs it holds the store: use the same command in the server's console"
                    + " (totp:enroll <user>, ...).");
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /**
     * The command as parsed from the arguments.
     *
     * @param command the subcommand, as typed
     * @param user the user it is about
     * @param code the code for {@code confirm}, else null
     * @param png the image file for {@code enroll --png}, else null
     */
    record Invocation(String command, String user, String code, Path png) {

        private static final String PNG = "--png";
        private static final List<String> COMMANDS =
                List.of("enroll", "confirm", TotpCommand.BACKUP_CODES, "status", "remove");

        /**
         * @return the invocation, or null when help was asked for
         * @throws IllegalArgumentException saying what is wrong with the arguments
         */
        static Invocation parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no command given");
            }
            String word = args[0];
            if (word.equals("-h") || word.equals("--help") || word.equals("help")) {
                return null;
            }
            if (!COMMANDS.contains(word)) {
                throw new IllegalArgumentException("unknown command '" + printable(word) + "'");
            }
            List<String> operands = new ArrayList<>();
            Path png = null;
            boolean options = true;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (options && a.equals("--")) {
                    options = false;
                } else if (options && (a.equals("-h") || a.equals("--help"))) {
                    return null;
                } else if (options && (a.equals(PNG) || a.startsWith(PNG + "="))) {
                    if (!word.equals("enroll")) {
                        throw new IllegalArgumentException(word + " takes no " + PNG);
                    }
                    String value =
                            a.equals(PNG) ? (i + 1 < args.length ? args[++i] : "") : a.substring(PNG.length() + 1);
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(PNG + " needs a file name");
                    }
                    png = Path.of(value);
                } else if (options && a.startsWith("-") && a.length() > 1) {
                    throw new IllegalArgumentException("unknown option '" + printable(a) + "'");
                } else {
                    operands.add(a);
                }
            }
            int wanted = word.equals("confirm") ? 2 : 1;
            if (operands.size() != wanted) {
                throw new IllegalArgumentException(
                        word + " takes " + (wanted == 2 ? "a user name and a code" : "a user name") + ", not "
                                + operands.size() + " arguments");
            }
            return new Invocation(word, operands.get(0), wanted == 2 ? operands.get(1) : null, png);
        }

        /** Control characters of an argument would reach the terminal as they are. */
        private static String printable(String text) {
            return text.codePoints()
                    .map(c -> Character.isISOControl(c) ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
        }
    }
}
