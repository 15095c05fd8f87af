package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.SecondFactorEnrollment;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.api.admin.UserAccounts;
import dev.wirehaven.console.internal.SafeLog;
import dev.wirehaven.console.internal.pages.UsersNotices.Notice;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console page {@code /system/console/wirehaven-users}: the local users with Enable or Disable and a
 * password reset, and, where the TOTP bundle runs, their authenticators (enroll, showing the secret
 * once; confirm with a code; remove). The same tasks as the Gogo commands, through the services that
 * auth-local and auth-totp provide; works without either (it says so).
 *
 * <p>After a post the page shows the administration's own sentence, which names the user, so it keeps
 * it in {@link UsersNotices} for the redirect's one GET rather than choosing among fixed messages.
 * Each action is logged with its outcome, never a password or a code.
 */
@Component(
        service = Servlet.class,
        property = {
            ServletConstants.PLUGIN_LABEL + "=" + UsersPage.LABEL,
            ServletConstants.PLUGIN_TITLE + "=Users",
            ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY
        })
public final class UsersPage extends ConsolePage {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "wirehaven-users";

    private static final Logger LOG = LoggerFactory.getLogger(UsersPage.class);

    private final transient UsersNotices notices;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile UserAccounts accounts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile SecondFactorEnrollment enrollment;

    @Activate
    public UsersPage(@Reference(name = "tokens") CsrfTokens tokens) {
        this(Clock.systemUTC(), tokens, new SecureRandom());
    }

    UsersPage(Clock clock, CsrfTokens tokens, SecureRandom random) {
        super(LABEL, clock, tokens);
        this.notices = new UsersNotices(random, clock);
    }

    @Override
    String render(PageForm form, String notice) {
        Notice shown = notice.isEmpty() ? null : notices.take(notice).orElse(null);
        UserAccounts a = accounts;
        if (a == null) {
            return UsersView.render(new UsersView.Content(null, null, null), form, shown);
        }
        List<UserAccount> users;
        try {
            users = a.list();
        } catch (AdminActionException e) {
            return UsersView.render(new UsersView.Content(null, e.getMessage(), null), form, shown);
        }
        return UsersView.render(new UsersView.Content(users, null, factors(users)), form, shown);
    }

    /** Each user's authenticator, or null without the TOTP bundle; a user whose status fails is left out. */
    private Map<String, SecondFactorStatus> factors(List<UserAccount> users) {
        SecondFactorEnrollment e = enrollment;
        if (e == null) {
            return null;
        }
        Map<String, SecondFactorStatus> factors = new HashMap<>();
        for (UserAccount u : users) {
            try {
                factors.put(u.name(), e.status(u.name()));
            } catch (AdminActionException failed) {
                LOG.warn(
                        "Users page: the authenticator of {} is unknown: {}",
                        SafeLog.text(u.name()),
                        failed.getMessage());
            }
        }
        return factors;
    }

    @Override
    String act(HttpServletRequest request) {
        String op = String.valueOf(request.getParameter(UsersView.OP));
        String user = request.getParameter(UsersView.USER);
        Notice notice;
        if (user == null || user.isEmpty()) {
            notice = Notice.refused("No user was named: nothing was changed.");
        } else {
            notice = switch (op) {
                case UsersView.DISABLE, UsersView.ENABLE, UsersView.RESET -> onAccount(op, user, request);
                case UsersView.ENROLL, UsersView.CONFIRM, UsersView.UNENROLL -> onFactor(op, user, request);
                default -> Notice.refused("That is not an action of this page: nothing was changed.");
            };
            if (notice.failed()) {
                LOG.info(
                        "Users page: {} of {} refused: {}",
                        SafeLog.text(op),
                        SafeLog.text(user),
                        SafeLog.text(notice.sentence()));
            } else {
                LOG.info(
                        "Users page: {} of {}: {}",
                        SafeLog.text(op),
                        SafeLog.text(user),
                        SafeLog.text(notice.sentence()));
            }
        }
        return notices.put(notice);
    }

    private Notice onAccount(String op, String user, HttpServletRequest request) {
        UserAccounts a = accounts;
        if (a == null) {
            return Notice.refused(UsersView.NOT_INSTALLED + " Nothing was changed.");
        }
        try {
            return switch (op) {
                case UsersView.DISABLE -> Notice.done(a.disable(user));
                case UsersView.ENABLE -> Notice.done(a.enable(user));
                default -> Notice.done(reset(a, user, request.getParameter(UsersView.PASSWORD)));
            };
        } catch (AdminActionException e) {
            return Notice.refused(e.getMessage());
        }
    }

    /**
     * The container hands the password over as a String, which the JVM cannot wipe; the copy that goes
     * on to the administration is wiped as soon as it has been hashed.
     */
    private static String reset(UserAccounts a, String user, String password) throws AdminActionException {
        char[] chars = password == null ? new char[0] : password.toCharArray();
        try {
            return a.resetPassword(user, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private Notice onFactor(String op, String user, HttpServletRequest request) {
        SecondFactorEnrollment e = enrollment;
        if (e == null) {
            return Notice.refused(UsersView.NO_SECOND_FACTOR + " Nothing was changed.");
        }
        try {
            return switch (op) {
                case UsersView.ENROLL -> {
                    var started = e.start(user);
                    yield new Notice(started.sentence(), false, started);
                }
                case UsersView.CONFIRM ->
                    Notice.done(e.confirm(user, String.valueOf(request.getParameter(UsersView.CODE))));
                default -> Notice.done(e.remove(user));
            };
        } catch (AdminActionException failed) {
            return Notice.refused(failed.getMessage());
        }
    }

    @Override
    Map<String, String> outcomes() {
        return notices.outcomes();
    }
}
