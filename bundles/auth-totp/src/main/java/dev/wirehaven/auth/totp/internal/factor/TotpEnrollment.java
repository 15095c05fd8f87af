package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorEnrollment;
import dev.wirehaven.api.admin.SecondFactorStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The operator's enrollment tasks as the {@link SecondFactorEnrollment} service, for front ends outside
 * this bundle (the web console's Users page): the very {@link Enrollment} of the Gogo commands, so the
 * checks and sentences are theirs. Its hints name the Gogo commands ({@code totp:remove alice}), which
 * also make the backup codes that this service leaves out. No QR image is written: the front end shows
 * the URI and the key itself.
 */
@Component(service = SecondFactorEnrollment.class)
public final class TotpEnrollment implements SecondFactorEnrollment {

    private final Enrollment enrollment;

    @Activate
    public TotpEnrollment(@Reference TotpUsers users) {
        this(users.enrollment(command -> "totp:" + command));
    }

    TotpEnrollment(Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    @Override
    public SecondFactorStatus status(String user) throws AdminActionException {
        try {
            return enrollment.standing(user);
        } catch (EnrollmentException e) {
            throw refused(e);
        }
    }

    @Override
    public NewAuthenticator start(String user) throws AdminActionException {
        try {
            return enrollment.enrollForDisplay(user);
        } catch (EnrollmentException e) {
            throw refused(e);
        }
    }

    @Override
    public String confirm(String user, String code) throws AdminActionException {
        try {
            return oneLine(enrollment.confirm(user, code));
        } catch (EnrollmentException e) {
            throw refused(e);
        }
    }

    @Override
    public String remove(String user) throws AdminActionException {
        try {
            return oneLine(enrollment.remove(user));
        } catch (EnrollmentException e) {
            throw refused(e);
        }
    }

    /** The commands' lines for a terminal as one paragraph. */
    private static String oneLine(String text) {
        return text.strip().replace('\n', ' ');
    }

    /** The same sentence in the exception of the API, with the cause for the catcher's log. */
    private static AdminActionException refused(EnrollmentException e) {
        return new AdminActionException(e.getMessage(), e);
    }
}
