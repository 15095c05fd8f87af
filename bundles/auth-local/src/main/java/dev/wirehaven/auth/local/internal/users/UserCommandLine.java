package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.users.UserRequest.Operation;
import dev.wirehaven.server.support.files.DataDirectory;
import dev.wirehaven.server.support.files.StoreChoice;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.store.embedded.OfflineStore;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@code bin/wirehaven user ...}: provisioning of local users from a shell or a script, whether or
 * not the server runs. A plain Java main on the class path of the installation's {@code bundle/}
 * jars, outside the framework.
 *
 * <p>The embedded database can be open in one process only. So while a server runs, the request
 * goes through its admin socket ({@link AdminSocketServer}); when no server answers there, this
 * opens the store itself, brings its schema up to date and works on it directly. Passwords never
 * come from the arguments (they would be visible in the process list): they are the first line of
 * {@code --password-file}, or typed twice without echo on a terminal, or one line of standard input.
 */
public final class UserCommandLine {

    static final int DONE = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final Duration SERVER_PATIENCE = Duration.ofSeconds(60);
    static final String LOGGING = "dev/wirehaven/auth/local/internal/users/command-line-logback.xml";

    static final String HELP = """
            Usage: bin/wirehaven user <command> [arguments]

            Manages the server's local users (the 'password' login), whether or not the server runs.

              add <name> [--password-file FILE]    adds a user
              list                                 lists the users: name, disabled, created
              disable <name>                       refuses the user's logins until it is enabled again
              enable <name>                        allows the user's logins again
              reset <name> [--password-file FILE]  sets a new password
              remove <name>                        deletes the user

            The password is the first line of FILE; without --password-file it is asked twice on a
            terminal, or read as one line from standard input. It is never an argument.
            While the server runs, the change goes through its admin socket <data>/run/admin.sock;
            otherwise the store in <data>/db is opened directly.
            Exit status: 0 done, 1 refused or failed, 2 wrong usage.
            """;

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<Optional<Console>> terminal;
    private final Properties system;

    UserCommandLine(
            InputStream stdin,
            PrintStream out,
            PrintStream err,
            Supplier<Optional<Console>> terminal,
            Properties system) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.system = system;
    }

    public static void main(String[] args) {
        // warnings of the libraries go to stderr; the lines of the server's log configuration would be noise here
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        int status = new UserCommandLine(
                        System.in, System.out, System.err, PasswordInput::terminal, System.getProperties())
                .run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    int run(String[] args) {
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wirehaven user: " + e.getMessage());
            err.print(HELP);
            return USAGE;
        }
        if (invocation == null) {
            out.print(HELP);
            return DONE;
        }
        UserRequest request = null;
        try {
            char[] password = invocation.operation().withPassword ? password(invocation) : null;
            request = new UserRequest(invocation.operation(), invocation.name(), password);
            if (password != null) {
                UserAdministration.checkPassword(password);
            }
            out.print(execute(request).render());
            return DONE;
        } catch (UserAdminException e) {
            err.println("wirehaven user: " + e.getMessage());
            return FAILED;
        } finally {
            if (request != null) {
                request.clear();
            }
        }
    }

    private char[] password(Invocation invocation) throws UserAdminException {
        if (invocation.passwordFile() != null) {
            return PasswordInput.firstLineOf(invocation.passwordFile());
        }
        Optional<Console> console = terminal.get();
        if (console.isPresent()) {
            return PasswordInput.askTwice(console.get(), invocation.name());
        }
        return PasswordInput.lineOf(stdin);
    }

    private UserOutcome execute(UserRequest request) throws UserAdminException {
        Path data;
        try {
            data = DataDirectory.installed(system);
        } catch (IOException e) {
            throw new UserAdminException(
                    "Cannot read etc/config.properties to find the data directory: " + e.getMessage());
        }
        if (Files.isDirectory(data) && !(Files.isReadable(data) && Files.isExecutable(data))) {
            // the data directory is owner-only: another user would see neither the socket nor the store
            throw new UserAdminException("The data directory " + data + " is not open to this user; run 'bin/wirehaven "
                    + "user' as the user that runs the server (the owner of " + data + ").");
        }
        Path socket = AdminSocketAddress.socketIn(data);
        Optional<UserOutcome> online = new AdminSocketClient(socket, SERVER_PATIENCE).send(request);
        if (online.isPresent()) {
            return online.get();
        }
        String refusal;
        try {
            refusal = StoreChoice.offlineRefusal(
                    system,
                    "bin/wirehaven user",
                    "start this node, or run it on a running node of the cluster (every node serves the same users)");
        } catch (IOException e) {
            throw new UserAdminException("Cannot read etc/config.properties to find the store: " + e.getMessage());
        }
        if (refusal != null) {
            throw new UserAdminException("No server answers on " + socket + ", and " + refusal + ".");
        }
        try (OfflineStore offline = openOffline(data, socket)) {
            DataSource store = offline.dataSource();
            LocalUsers.migrate(store);
            UserAdministration users = new UserAdministration(
                    new UserRepository(store), new UserPasswords(new SecureRandom()), Clock.systemUTC());
            return users.perform(request);
        } catch (StoreException e) {
            throw new UserAdminException("The store failed: " + e.getMessage());
        }
    }

    /**
     * The embedded store, opened by this process (the store bundle's published {@link OfflineStore}).
     *
     * @throws UserAdminException saying why it cannot be opened (most often: a server holds it)
     */
    private static OfflineStore openOffline(Path data, Path socket) throws UserAdminException {
        try {
            return OfflineStore.open(data);
        } catch (IOException | SQLException e) {
            String reason =
                    e instanceof AccessDeniedException ? "permission denied on " + e.getMessage() : e.getMessage();
            throw new UserAdminException(AdminProtocol.oneLine("No server answers on " + socket + ", and the store "
                    + "cannot be opened directly: " + reason + "; if a server is starting or stopping, try again "
                    + "once it runs or has stopped."));
        }
    }

    /**
     * The command as parsed from the arguments.
     *
     * @param operation what to do
     * @param name the user, or null for list
     * @param passwordFile the file whose first line is the password, or null
     */
    record Invocation(Operation operation, String name, Path passwordFile) {

        private static final String PASSWORD_FILE = "--password-file";

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
            Operation operation = Operation.of(word);
            if (operation == null) {
                throw new IllegalArgumentException("unknown command '" + AdminProtocol.oneLine(word) + "'");
            }
            List<String> operands = new ArrayList<>();
            Path passwordFile = null;
            boolean options = true;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (options && a.equals("--")) {
                    options = false;
                } else if (options && (a.equals("-h") || a.equals("--help"))) {
                    return null;
                } else if (options && (a.equals(PASSWORD_FILE) || a.startsWith(PASSWORD_FILE + "="))) {
                    if (!operation.withPassword) {
                        throw new IllegalArgumentException(word + " takes no " + PASSWORD_FILE);
                    }
                    String value = a.equals(PASSWORD_FILE)
                            ? (i + 1 < args.length ? args[++i] : "")
                            : a.substring(PASSWORD_FILE.length() + 1);
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(PASSWORD_FILE + " needs a file name");
                    }
                    passwordFile = Path.of(value);
                } else if (options && a.startsWith("-") && a.length() > 1) {
                    throw new IllegalArgumentException("unknown option '" + AdminProtocol.oneLine(a) + "'");
                } else {
                    operands.add(a);
                }
            }
            int wanted = operation.named ? 1 : 0;
            if (operands.size() < wanted) {
                throw new IllegalArgumentException(word + " needs a user name");
            }
            if (operands.size() > wanted) {
                throw new IllegalArgumentException(word + " takes " + (wanted == 0 ? "no arguments" : "one user name")
                        + ", not '" + AdminProtocol.oneLine(String.join(" ", operands)) + "'");
            }
            return new Invocation(operation, wanted == 0 ? null : operands.get(0), passwordFile);
        }
    }
}
