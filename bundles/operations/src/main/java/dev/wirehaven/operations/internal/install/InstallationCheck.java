package dev.wirehaven.operations.internal.install;

import dev.wirehaven.server.support.files.InstallationPermissions;
import dev.wirehaven.server.support.files.InstallationPermissions.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one WARN for each path of the installation that someone other than root and the server's
 * user can change (see {@link InstallationPermissions}: {@code bin/}, {@code bundle/}, {@code deploy/},
 * {@code etc/}, {@code data/}, the files in the first four, and the directories from {@code /} down to
 * the installation), naming the path, what it means and the command that fixes it.
 *
 * <p>It warns and does not refuse. By the time any bundle runs, the launcher has loaded {@code bundle/}
 * and FileInstall may already have started what is in {@code deploy/}: a refusal here would come after
 * the code it means to keep out. The refusal that can work is before the JVM starts: {@code bin/wirehaven},
 * run as root, does not start while a directory or file that the server loads code from is writable by
 * every user. This check covers the rest (a group or another user that can write, a start without the
 * script) and says it once per start, so that it is in the log that operators read.
 */
@Component(
        service = {},
        immediate = true)
public final class InstallationCheck {

    /** Framework property (a system property set by bin/wirehaven) with the installation directory. */
    static final String HOME_PROPERTY = "wirehaven.home";

    private static final Logger LOG = LoggerFactory.getLogger(InstallationCheck.class);

    @Activate
    public InstallationCheck(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            // embedded in a test framework or another launcher: there is no installation to judge
            LOG.debug("No {} set: the installation's permissions are not checked", HOME_PROPERTY);
            return;
        }
        check(Path.of(home.trim()), new InstallationPermissions(InstallationPermissions.currentUser()));
    }

    /** Checks at once, for tests. */
    InstallationCheck(Path home, InstallationPermissions permissions) {
        check(home, permissions);
    }

    private static void check(Path home, InstallationPermissions permissions) {
        List<Finding> findings;
        try {
            findings = permissions.check(home);
        } catch (IOException e) {
            LOG.warn(
                    "Cannot check who may change the installation {} ({}): make sure that only root (or the"
                            + " server's user) can write to it and to the directories above it",
                    home,
                    e.toString());
            return;
        }
        String consequence = permissions.runsAsRoot()
                ? "the server runs as root, so whoever can change it can run code as root"
                : "whoever can change it can run code as the server's user " + permissions.serverUser();
        for (Finding f : findings) {
            LOG.warn("Installation: {} {}; {}. Run: {}", f.path(), f.problem(), consequence, f.fix());
        }
    }
}
