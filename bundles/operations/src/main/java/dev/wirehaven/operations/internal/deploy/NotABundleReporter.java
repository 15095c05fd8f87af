package dev.wirehaven.operations.internal.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a jar in deploy/ that is not an OSGi bundle: one ERROR per version of the file, naming
 * it, saying what is wrong and what to do, and the server carries on.
 *
 * <p>FileInstall 3.7.4 offers each file to its artifact listeners and, when none accepts it, keeps
 * the file aside and offers it again at every scan without a word, so a broken jar would sit in
 * deploy/ unexplained. This listener accepts exactly those jars (see {@link NotABundle} for why it
 * never takes a real bundle from FileInstall's own bundle handling), and "installing" one means
 * reporting it. FileInstall then calls {@link #update} once per new version of the file and
 * {@link #uninstall} when it goes away or becomes a bundle. A broken jar copied over a bundle of
 * deploy/ takes a detour through {@link ReplacedBundleListener} to arrive here too.
 */
@Component(service = ArtifactInstaller.class)
public final class NotABundleReporter implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(NotABundleReporter.class);

    private final DeployDirectory deploy;
    /** The version last reported per file, so that a version is reported once even if FileInstall asks twice. */
    private final Map<Path, FileVersion> reported = new ConcurrentHashMap<>();

    private final Runnable stopListening;

    @Activate
    public NotABundleReporter(BundleContext context) {
        this(DeployDirectory.under(context.getProperty(DeployDirectory.HOME_PROPERTY)), context);
    }

    private NotABundleReporter(DeployDirectory deploy, BundleContext context) {
        this.deploy = deploy;
        // the other way a broken jar arrives: over a bundle, which FileInstall then uninstalls without a word
        ReplacedBundleListener replacedBundles = new ReplacedBundleListener(deploy);
        context.addBundleListener(replacedBundles);
        this.stopListening = () -> context.removeBundleListener(replacedBundles);
    }

    /** Without a framework: FileInstall's calls only. */
    NotABundleReporter(DeployDirectory deploy) {
        this.deploy = deploy;
        this.stopListening = () -> {};
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar")
                && artifact.isFile()
                && deploy.holds(artifact)
                && NotABundle.check(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        report(artifact);
    }

    @Override
    public void update(File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        Path path = artifact.toPath();
        reported.remove(path);
        if (!Files.exists(path)) {
            LOG.info("{} was removed from deploy/; it had not been deployed (it was not an OSGi bundle)", artifact);
            return;
        }
        if (NotABundle.check(artifact).isEmpty()) {
            // FileInstall uninstalls an artifact whose listener no longer accepts the changed file
            handOverToFileInstall(path, "is now an OSGi bundle");
            return;
        }
        // still broken, but FileInstall let go of it (this listener went away while the file changed):
        // a fresh look hands it to whichever reporter is registered now
        try {
            FileInstallRescan.request(path);
        } catch (IOException e) {
            LOG.debug("Cannot ask FileInstall to look at {} again: {}", path, e.getMessage());
        }
    }

    private void report(File artifact) {
        Path path = artifact.toPath();
        Optional<NotABundle> notABundle = NotABundle.check(artifact);
        if (notABundle.isEmpty()) {
            // replaced by a bundle between FileInstall's question and this call: FileInstall now thinks
            // the file is ours, and only a change of the file makes it look again
            handOverToFileInstall(path, "became an OSGi bundle while it was being reported");
            return;
        }
        FileVersion version = FileVersion.of(path);
        if (version.equals(reported.put(path, version))) {
            return;
        }
        NotABundle problem = notABundle.get();
        LOG.error(
                "Cannot deploy {}: it {}. {} The server carries on without it.",
                artifact,
                problem.problem(),
                problem.remedy());
    }

    private static void handOverToFileInstall(Path path, String what) {
        try {
            FileInstallRescan.request(path);
            LOG.info("{} {}; FileInstall installs it at its next scan of deploy/", path, what);
        } catch (IOException e) {
            LOG.warn(
                    "{} {}, but FileInstall installs it only once the file changes again, and the server cannot"
                            + " change its modification time ({}). Run: touch {}",
                    path,
                    what,
                    e.getMessage(),
                    path);
        }
    }

    /** What FileInstall itself compares to tell one version of a file from the next (besides its name). */
    private record FileVersion(long size, long modified) {

        static FileVersion of(Path path) {
            try {
                return new FileVersion(
                        Files.size(path), Files.getLastModifiedTime(path).toMillis());
            } catch (IOException e) {
                // gone or unreadable meanwhile: a version of its own, reported like any other
                return new FileVersion(-1, -1);
            }
        }
    }
}
