package dev.wirehaven.operations.internal.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a bundle of deploy/ that was replaced by a file that is not a bundle.
 *
 * <p>FileInstall uninstalls the bundle, and then leaves the new file alone until it changes again
 * (see {@link FileInstallRescan}): without this, a plugin overwritten by a truncated download would
 * just vanish. When a bundle installed from deploy/ is uninstalled while its file is still there
 * and is not a bundle, this asks FileInstall to look at the file again, and
 * {@link NotABundleReporter} then reports it.
 */
final class ReplacedBundleListener implements BundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReplacedBundleListener.class);

    private final DeployDirectory deploy;

    ReplacedBundleListener(DeployDirectory deploy) {
        this.deploy = deploy;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            Bundle bundle = event.getBundle();
            uninstalled(bundle.getLocation(), bundle.getSymbolicName() + " " + bundle.getVersion());
        }
    }

    /** A bundle was uninstalled: {@code location} is where it was installed from, {@code bundle} names it for the log. */
    void uninstalled(String location, String bundle) {
        Optional<Path> file = fileOf(location);
        if (file.isEmpty()
                || !Files.isRegularFile(file.get())
                || !deploy.holds(file.get().toFile())
                || NotABundle.check(file.get().toFile()).isEmpty()) {
            return;
        }
        Path path = file.get();
        try {
            FileInstallRescan.request(path);
            LOG.info(
                    "FileInstall uninstalled the bundle {} because {} was replaced by a file that is not a bundle",
                    bundle,
                    path);
        } catch (IOException e) {
            LOG.error(
                    "FileInstall uninstalled the bundle {} because {} was replaced by a file that is not a bundle;"
                            + " replace it with an OSGi bundle built for Wirehaven, or remove it ({})",
                    bundle,
                    path,
                    e.getMessage());
        }
    }

    /** The file of a {@code file:} location (what FileInstall installs deploy/ jars from); empty for any other. */
    static Optional<Path> fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(location)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
