package dev.wirehaven.operations.internal.deploy;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Why a file cannot be installed as an OSGi bundle, or nothing when it can.
 *
 * <p>"Can" is decided exactly as FileInstall 3.7.4's own bundle handling decides it (its
 * {@code BundleTransformer.canHandle}): the file is readable, opens as a jar, has a manifest, and
 * the manifest names a {@code Bundle-SymbolicName}. Keeping the two in step is what makes every jar
 * in deploy/ land in exactly one place: FileInstall installs the bundles, {@link NotABundleReporter}
 * reports the rest. A bundle with a broken manifest beyond that (a bad version, an unresolvable
 * import) is FileInstall's to install and to report: the framework's message says more than we could.
 *
 * @param reason the first thing that is wrong, in the order FileInstall checks
 * @param detail what the JDK said, for the reasons that come from an exception; empty otherwise
 */
record NotABundle(Reason reason, String detail) {

    /** The remedy for everything but a permission problem: what an operator should put there instead. */
    private static final String REPLACE = "Replace it with an OSGi bundle built for Wirehaven (see plugin-examples; the"
            + " built examples are in plugins/examples/ of the installation), or remove it from deploy/.";

    enum Reason {
        UNREADABLE_FILE(
                "cannot be read by the server",
                "Make it readable by the user that runs the server (check its owner and permissions)."),
        NOT_A_JAR("is not a readable jar", REPLACE),
        UNREADABLE_MANIFEST("is not a readable jar: its META-INF/MANIFEST.MF cannot be parsed", REPLACE),
        NO_MANIFEST("has no OSGi manifest (Bundle-SymbolicName): the jar has no META-INF/MANIFEST.MF", REPLACE),
        NO_SYMBOLIC_NAME(
                "has no OSGi manifest (Bundle-SymbolicName): its META-INF/MANIFEST.MF is a plain jar's", REPLACE);

        private final String problem;
        private final String remedy;

        Reason(String problem, String remedy) {
            this.problem = problem;
            this.remedy = remedy;
        }
    }

    /** The reason {@code file} is not a bundle, or empty when FileInstall can install it. */
    static Optional<NotABundle> check(File file) {
        if (!file.canRead()) {
            return Optional.of(new NotABundle(Reason.UNREADABLE_FILE, ""));
        }
        JarFile jar;
        try {
            jar = new JarFile(file);
        } catch (IOException | RuntimeException e) {
            return Optional.of(new NotABundle(Reason.NOT_A_JAR, String.valueOf(e.getMessage())));
        }
        try (jar) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of(new NotABundle(Reason.NO_MANIFEST, ""));
            }
            if (manifest.getMainAttributes().getValue(new Attributes.Name("Bundle-SymbolicName")) == null) {
                return Optional.of(new NotABundle(Reason.NO_SYMBOLIC_NAME, ""));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Manifest parsing reports a malformed header as an IOException, a few JDKs as an IllegalArgumentException
            return Optional.of(new NotABundle(Reason.UNREADABLE_MANIFEST, String.valueOf(e.getMessage())));
        }
    }

    /** "is not a readable jar (zip END header not found)", to follow the file's name in a sentence. */
    String problem() {
        return detail.isEmpty() ? reason.problem : reason.problem + " (" + detail + ")";
    }

    /** What the operator should do about it, as a sentence. */
    String remedy() {
        return reason.remedy;
    }
}
