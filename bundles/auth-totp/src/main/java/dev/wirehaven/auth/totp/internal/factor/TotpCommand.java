package dev.wirehaven.auth.totp.internal.factor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo commands that set up users' authenticators, in the scope {@code totp}:
 *
 * <pre>
 * totp:enroll &lt;user&gt;            totp:confirm &lt;user&gt; &lt;code&gt;     totp:backup-codes &lt;user&gt;
 * totp:status &lt;user&gt;            totp:remove &lt;user&gt;
 * </pre>
 *
 * Each returns its text (the shell prints it) or throws {@link EnrollmentException}, whose message the
 * shell prints. Like the other commands of the server, this needs no Gogo package: Gogo finds the
 * functions through the {@code osgi.command.*} properties and calls the methods of their names by
 * reflection.
 */
@Component(
        service = TotpCommand.class,
        property = {
            "osgi.command.scope=totp",
            "osgi.command.function=enroll",
            "osgi.command.function=confirm",
            "osgi.command.function=" + TotpCommand.BACKUP_CODES,
            "osgi.command.function=status",
            "osgi.command.function=remove"
        })
public final class TotpCommand {

    static final String BACKUP_CODES = "backup-codes";

    private final Enrollment enrollment;

    @Activate
    public TotpCommand(@Reference TotpUsers users) {
        this(users.enrollment(command -> "totp:" + command));
    }

    TotpCommand(Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    /** Makes a new secret for the user and shows its QR code. */
    public String enroll(String user) throws EnrollmentException {
        return enrollment.enroll(user);
    }

    /** Confirms the user's enrollment with a code from the app. */
    public String confirm(String user, String code) throws EnrollmentException {
        return enrollment.confirm(user, code);
    }

    /** Says whether the user is enrolled, and how many backup codes are left. */
    public String status(String user) throws EnrollmentException {
        return enrollment.status(user);
    }

    /** Removes the user's authenticator and backup codes. */
    public String remove(String user) throws EnrollmentException {
        return enrollment.remove(user);
    }

    /**
     * What Gogo calls for a function that no method is named after, with the function's name first:
     * {@code totp:backup-codes <user>} (a method name cannot contain the hyphen), and any of the others
     * with the wrong number of arguments, which gets its usage.
     */
    public String _main(String... argv) throws EnrollmentException {
        String function = argv.length == 0 ? "" : argv[0];
        if (function.equals(BACKUP_CODES) && argv.length == 2) {
            return enrollment.backupCodes(argv[1]);
        }
        String usage = switch (function) {
            case "confirm" -> "totp:confirm <user> <code>";
            case "enroll", "status", "remove", BACKUP_CODES -> "totp:" + function + " <user>";
            default -> "totp:enroll|confirm|backup-codes|status|remove";
        };
        throw new EnrollmentException("Usage: " + usage);
    }
}
