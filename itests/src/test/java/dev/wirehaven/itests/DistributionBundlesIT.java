package dev.wirehaven.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The whole runtime set of the distribution ({@code bundle/}, what the launcher auto-deploys)
 * installs into one Felix and every bundle starts: the set is complete and consistent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionBundlesIT extends WirehavenContainerTest {

    @Configuration
    public Option[] configuration() {
        List<Option> options = new ArrayList<>(Arrays.asList(frameworkOptions("DistributionBundlesIT")));
        for (Path jar : Distribution.runtimeBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    @Test
    public void everyJarOfTheBundleDirectoryIsInstalledAndActive() {
        List<Path> jars = Distribution.runtimeBundles();
        assertFalse("the distribution's bundle/ directory is empty", jars.isEmpty());
        for (Path jar : jars) {
            Bundle bundle = context.getBundle(jar.toUri().toString());
            assertNotNull(jar.getFileName() + " was not installed", bundle);
            // Every bundle here is started eagerly, as the launcher's auto-deploy does, so even
            // JNA (lazy activation policy) must be ACTIVE rather than STARTING.
            assertEquals(bundle.getSymbolicName() + " from " + jar.getFileName(), Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void theWirehavenBundlesAreAmongThem() {
        for (String artifactId : Arrays.asList(
                "wirehaven-api",
                "wirehaven-tun",
                "wirehaven-wireguard",
                "wirehaven-sessions",
                "wirehaven-control-api",
                "wirehaven-interfaces",
                "wirehaven-auth-local",
                "wirehaven-operations",
                "wirehaven-console",
                "wirehaven-store-embedded",
                // shipped in every distribution; registers nothing without etc/dev.wirehaven.store.postgres.cfg
                "wirehaven-store-postgres")) {
            Path jar = Distribution.runtimeBundle(artifactId);
            Bundle bundle = context.getBundle(jar.toUri().toString());
            assertNotNull(artifactId + " is not in the container", bundle);
            assertEquals(artifactId, Bundle.ACTIVE, bundle.getState());
        }
    }
}
