package dev.wirehaven.itests;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The shared Pax Exam base: Felix 7 (from the test class path), Declarative Services, Configuration
 * Admin, Metatype, SLF4J over logback, the Gogo runtime, and the Wirehaven SDK and session core, all
 * taken from the distribution's {@code bundle/} directory. A test of another server bundle adds it.
 *
 * <p>Before every test it fails if any bundle of the container did not start: an unresolved import,
 * a missing dependency or an activator that throws stops the build here, with the framework's reason.
 */
public abstract class WirehavenContainerTest {

    /**
     * What every container runs: the framework services, logging, and the session core with what it
     * imports (the SDK and the WireGuard protocol). The plugin registry is in the session core, so this
     * is enough to test plugin binding; tests of other server bundles add them with
     * {@link #runtimeBundle}. Ordered so that the ServiceLoader mediator starts before SLF4J.
     */
    private static final List<String> CORE_BUNDLES = Arrays.asList(
            "asm",
            "asm-tree",
            "asm-analysis",
            "asm-commons",
            "asm-util",
            "org.apache.aries.spifly.dynamic.bundle",
            "slf4j-api",
            "logback-core",
            "logback-classic",
            "org.osgi.util.function",
            "org.osgi.util.promise",
            "org.osgi.service.component",
            "org.apache.felix.scr",
            "org.apache.felix.configadmin",
            "org.apache.felix.metatype",
            "org.apache.felix.gogo.runtime",
            // the session core keeps a session's identity as JSON and drives the WireGuard device
            "jackson-annotations",
            "jackson-core",
            "jackson-databind",
            "jna",
            "bcprov-jdk18on",
            "wirehaven-tun",
            "wirehaven-wireguard",
            "wirehaven-api",
            "wirehaven-sessions");

    /** The local users' bundle and what it imports beyond the core: Shiro's split modules and Argon2id. */
    protected static final List<String> AUTH_LOCAL_BUNDLES = Arrays.asList(
            "javax.annotation-api",
            "commons-logging",
            "commons-collections",
            "commons-beanutils",
            "shiro-lang",
            "shiro-event",
            "shiro-cache",
            "shiro-crypto-core",
            "shiro-crypto-hash",
            "shiro-crypto-cipher",
            "shiro-config-core",
            "shiro-config-ogdl",
            "shiro-core",
            "shiro-hashes-argon2",
            "h2",
            "wirehaven-store-embedded",
            "wirehaven-auth-local");

    /** The test-support bundles ({@link #testSupportBundle}): the in-memory TUN; the in-memory network and its binds. */
    protected static final String TUN_TESTING = "wirehaven-tun-testing";

    protected static final String WIREGUARD_TESTING = "wirehaven-wireguard-testing";

    @Inject
    protected BundleContext context;

    /** The framework settings of every container: logging, a private data directory, no console on stdin. */
    protected static Option[] frameworkOptions(String testName) {
        Path work = Distribution.work(testName);
        // FileInstall's initial watcher warns about a directory that does not exist
        Path load = createDirectories(work.resolve("load"));
        URL logback = WirehavenContainerTest.class.getResource("/logback-itest.xml");
        return options(
                systemProperty("logback.configurationFile").value(String.valueOf(logback)),
                // Pax Exam's own bundles log through pax-logging-api, at DEBUG unless told otherwise
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("wirehaven.data").value(work.resolve("data").toString()),
                // Gogo's shell would read the forked test JVM's stdin, which belongs to failsafe
                frameworkProperty("gosh.args").value("--nointeractive"),
                frameworkProperty("felix.fileinstall.dir").value(load.toString()),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                frameworkProperty("org.osgi.service.http.port").value(String.valueOf(freePort())),
                frameworkProperty("felix.webconsole.security.providers").value("wirehaven"));
    }

    /** The base configuration plus the given options. */
    protected static Option[] baseConfiguration(String testName, Option... more) {
        List<Option> all = new ArrayList<>(Arrays.asList(frameworkOptions(testName)));
        for (String artifactId : CORE_BUNDLES) {
            all.add(runtimeBundle(artifactId));
        }
        all.addAll(Arrays.asList(more));
        all.add(junitBundles());
        return all.toArray(new Option[0]);
    }

    protected static Option runtimeBundle(String artifactId) {
        return bundle(Distribution.runtimeBundle(artifactId).toUri().toString());
    }

    /** A test-support bundle, which no distribution ships ({@link #TUN_TESTING}, {@link #WIREGUARD_TESTING}); it needs the core bundles. */
    protected static Option testSupportBundle(String artifactId) {
        return bundle(Distribution.testSupportBundle(artifactId).toUri().toString());
    }

    @Before
    public void everyBundleIsStarted() {
        assertEveryBundleStarted(context);
    }

    /**
     * Every bundle ACTIVE, a fragment RESOLVED; a bundle with a lazy activation policy may wait in
     * STARTING for its first class load, as the OSGi spec intends.
     */
    static void assertEveryBundleStarted(BundleContext context) {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            int state = bundle.getState();
            boolean fine = isFragment(bundle)
                    ? state == Bundle.RESOLVED
                    : state == Bundle.ACTIVE || (state == Bundle.STARTING && isLazy(bundle));
            if (!fine) {
                problems.add(describe(bundle));
            }
        }
        if (!problems.isEmpty()) {
            fail("bundles that did not start:\n  " + String.join("\n  ", problems));
        }
    }

    private static String describe(Bundle bundle) {
        String what = bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + stateName(bundle.getState())
                + "] from " + bundle.getLocation();
        if (isFragment(bundle)) {
            return what + ": fragment without a host";
        }
        try {
            // start() again to make the framework say why: the resolver's missing requirement, or the activator's
            // failure
            bundle.start();
            return what + ": started on a second attempt (a start order problem)";
        } catch (BundleException | RuntimeException e) {
            return what + ": " + e.getMessage() + (e.getCause() != null ? " caused by " + e.getCause() : "");
        }
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static boolean isLazy(Bundle bundle) {
        String policy = bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY);
        return policy != null && policy.trim().startsWith(Constants.ACTIVATION_LAZY);
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED:
                return "INSTALLED (not resolved)";
            case Bundle.RESOLVED:
                return "RESOLVED (not started)";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            default:
                return "state " + state;
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
