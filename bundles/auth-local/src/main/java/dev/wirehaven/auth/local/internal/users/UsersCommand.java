package dev.wirehaven.auth.local.internal.users;

import java.io.Console;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gogo commands for local users, in the {@code wirehaven} scope beside {@code wirehaven:plugins}:
 *
 * <pre>
 * useradd &lt;name&gt; [&lt;password&gt;]     userpasswd &lt;name&gt; [&lt;password&gt;]
 * users                           userdisable &lt;name&gt;   userenable &lt;name&gt;   userdel &lt;name&gt;
 * </pre>
 *
 * Without a password argument, {@code useradd} and {@code userpasswd} ask for it twice on the
 * server's terminal with echo off, which is where the local gogo shell of {@code bin/wirehaven}
 * runs; a password given as an argument stays in the shell's history, so that form is for scripts.
 * Each command returns its sentence (the shell prints it) or throws {@link UserAdminException},
 * whose message the shell prints. Like {@code PluginsCommand}, this needs no gogo package: gogo
 * finds the functions through the {@code osgi.command.*} properties and calls them by reflection.
 */
@Component(
        service = UsersCommand.class,
        property = {
            "osgi.command.scope=wirehaven",
            "osgi.command.function=useradd",
            "osgi.command.function=users",
            "osgi.command.function=userdisable",
            "osgi.command.function=userenable",
            "osgi.command.function=userpasswd",
            "osgi.command.function=userdel"
        })
public final class UsersCommand {

    private final UserAdministration users;
    private final Supplier<Optional<Console>> terminal;

    @Activate
    public UsersCommand(@Reference LocalUsers users) {
        this(users.administration(), PasswordInput::terminal);
    }

    UsersCommand(UserAdministration users, Supplier<Optional<Console>> terminal) {
        this.users = users;
        this.terminal = terminal;
    }

    /** Adds a user, asking for the password on the terminal. */
    public String useradd(String name) throws UserAdminException {
        return wiping(ask(name, "useradd"), p -> users.add(name, p));
    }

    /** Adds a user with the given password (for scripts; it stays in the shell's history). */
    public String useradd(String name, String password) throws UserAdminException {
        return wiping(password.toCharArray(), p -> users.add(name, p));
    }

    /** The users: name, disabled, created. */
    public String users() throws UserAdminException {
        return UserListing.table(users.list());
    }

    public String userdisable(String name) throws UserAdminException {
        return users.disable(name);
    }

    public String userenable(String name) throws UserAdminException {
        return users.enable(name);
    }

    /** Sets a new password, asking for it on the terminal. */
    public String userpasswd(String name) throws UserAdminException {
        return wiping(ask(name, "userpasswd"), p -> users.resetPassword(name, p));
    }

    /** Sets a new password given as an argument (for scripts; it stays in the shell's history). */
    public String userpasswd(String name, String password) throws UserAdminException {
        return wiping(password.toCharArray(), p -> users.resetPassword(name, p));
    }

    public String userdel(String name) throws UserAdminException {
        return users.remove(name);
    }

    private char[] ask(String name, String command) throws UserAdminException {
        Optional<Console> console = terminal.get();
        if (console.isEmpty()) {
            throw new UserAdminException("This server has no terminal to ask for the password without echo; give it as "
                    + "an argument (" + command + " <name> <password>) or use 'bin/wirehaven user' from a shell.");
        }
        return PasswordInput.askTwice(console.get(), name);
    }

    /** One use of a password that is wiped afterwards, whatever the outcome. */
    @FunctionalInterface
    private interface PasswordUse {
        String apply(char[] password) throws UserAdminException;
    }

    private static String wiping(char[] password, PasswordUse use) throws UserAdminException {
        try {
            return use.apply(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
