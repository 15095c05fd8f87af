package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The bundle in a real OSGi framework, beside the bundles that the server distribution has for it:
 * Apache Felix with SCR, ConfigAdmin and the logging stack, the Wirehaven API, and the OIDC
 * libraries as bundles of their own (Nimbus, json-smart, and jcip from io7m, because the jar that
 * Nimbus names is not a bundle). It proves what the manifest promises: every import resolves, none is
 * embedded, and a factory configuration gives an {@code AuthProvider} service with the method and
 * ranking it names, even while the identity provider is unreachable.
 *
 * <p>Classes inside the framework are not the test's classes (other class loaders), so the service
 * is looked up with {@code getAllServiceReferences} (the system bundle sees the test's copy of the
 * API, which the framework would count as another class) and looked at through its properties and
 * by reflection.
 */
class OidcBundleInFelixIT {

    private static final String AUTH_PROVIDER = "dev.wirehaven.api.auth.AuthProvider";

    private Framework framework;

    @BeforeEach
    void startFramework() throws Exception {
        Path work = Path.of(System.getProperty("wirehaven.oidc.felixWork", "target/felix-work"));
        deleteTree(work);
        Path logback = Path.of("target/test-classes/logback-test.xml").toAbsolutePath();
        if (Files.exists(logback)) {
            // the framework's own logback (a bundle) reads it too, instead of logging everything at DEBUG
            System.setProperty("logback.configurationFile", logback.toString());
        }
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, work.toAbsolutePath().toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the test's class path holds slf4j and logback too: Felix must not hand bundles its classes
        // (its implicit boot delegation would, and slf4j would then find a logback of the wrong loader)
        properties.put("felix.bootdelegation.implicit", "false");
        FrameworkFactory factory =
                ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        framework = factory.newFramework(properties);
        framework.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    @Test
    void theBundleResolvesAgainstTheDistributionsBundlesAndRegistersAProviderPerConfiguration() throws Exception {
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        Path libraries = Path.of(System.getProperty("wirehaven.oidc.felixBundles", "target/felix-bundles"));
        try (Stream<Path> jars = Files.list(libraries)) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
        }
        Path ours =
                Path.of(System.getProperty("wirehaven.oidc.bundle", "target/wirehaven-auth-oidc-0.1.0-SNAPSHOT.jar"));
        Bundle oidc = context.installBundle(ours.toUri().toString());
        installed.add(oidc);

        List<String> failures = new ArrayList<>();
        // SPI Fly first, as in the distribution: it weaves slf4j-api's lookup of its logging provider
        installed.sort(Comparator.comparing(
                (Bundle b) -> !String.valueOf(b.getSymbolicName()).contains("spifly")));
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    failures.add(bundle.getSymbolicName() + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures, "bundles that do not start");
        assertEquals(Bundle.ACTIVE, oidc.getState());

        // every import of ours is wired to a bundle that exports it; nothing of Nimbus is inside ours
        Map<String, String> imports = wiredPackages(oidc);
        assertEquals("com.nimbusds.nimbus-jose-jwt", imports.get("com.nimbusds.jwt"));
        assertEquals("oauth2-oidc-sdk", imports.get("com.nimbusds.oauth2.sdk"));
        assertEquals("dev.wirehaven.api", imports.get("dev.wirehaven.api.auth"));
        assertEquals(null, oidc.getEntry("com/nimbusds"), "Nimbus is imported, not embedded");
        // Nimbus's mandatory net.jcip.annotations comes from the io7m bundle
        Bundle sdk = bySymbolicName(context, "oauth2-oidc-sdk");
        assertEquals("com.io7m.jcip.annotations", wiredPackages(sdk).get("net.jcip.annotations"));

        // a factory configuration for an identity provider that does not answer
        Object configuration = factoryConfiguration(
                context,
                "corp",
                Map.of(
                        "method",
                        "corp",
                        "service.ranking",
                        7,
                        "issuer",
                        "http://127.0.0.1:" + closedPort() + "/realms/corp",
                        "clientId",
                        "wirehaven-vpn",
                        "httpTimeoutMillis",
                        500));
        ServiceReference<?> provider = awaitService(context, "(wirehaven.auth.method=corp)");
        assertEquals(7, provider.getProperty(Constants.SERVICE_RANKING), "an Integer, as the framework needs");
        assertTrue(String.valueOf(provider.getProperty("wirehaven.auth.oidc.issuer"))
                .endsWith("/realms/corp"));
        Object service = context.getService(provider);
        Class<?> api = oidc.loadClass(AUTH_PROVIDER); // the implementation is package-private: call through the SPI
        assertEquals("corp", api.getMethod("method").invoke(service));
        assertEquals(
                "[APPROVAL, BEARER_TOKEN]",
                new java.util.TreeSet<>(
                                ((Set<?>) api.getMethod("credentialKinds").invoke(service))
                                        .stream().map(String::valueOf).toList())
                        .toString());
        context.ungetService(provider);

        // deleting the configuration takes the service away
        ServiceReference<?> admin = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        admin.getBundle()
                .loadClass("org.osgi.service.cm.Configuration")
                .getMethod("delete")
                .invoke(configuration);
        long deadline = System.currentTimeMillis() + 20_000;
        while (context.getAllServiceReferences(AUTH_PROVIDER, "(wirehaven.auth.method=corp)") != null
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(null, context.getAllServiceReferences(AUTH_PROVIDER, "(wirehaven.auth.method=corp)"));
    }

    /** Package name to the symbolic name of the bundle that {@code bundle}'s import of it is wired to. */
    private static Map<String, String> wiredPackages(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertNotNull(wiring, bundle.getSymbolicName() + " is not resolved");
        Map<String, String> packages = new HashMap<>();
        for (BundleWire wire : wiring.getRequiredWires("osgi.wiring.package")) {
            packages.put(
                    String.valueOf(wire.getCapability().getAttributes().get("osgi.wiring.package")),
                    wire.getProvider().getBundle().getSymbolicName());
        }
        return packages;
    }

    private static Bundle bySymbolicName(BundleContext context, String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return fail("no bundle " + name);
    }

    /** A factory configuration made through the framework's ConfigurationAdmin (reflection: its classes are the framework's). */
    private static Object factoryConfiguration(BundleContext context, String name, Map<String, Object> values)
            throws Exception {
        ServiceReference<?> reference = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        assertNotNull(reference, "ConfigurationAdmin");
        Object admin = context.getService(reference);
        Class<?> adminType = reference.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configurationType = reference.getBundle().loadClass("org.osgi.service.cm.Configuration");
        Object configuration = adminType
                .getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(admin, OidcProviderComponent.FACTORY_PID, name, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        Method update = configurationType.getMethod("update", Dictionary.class);
        update.invoke(configuration, properties);
        return configuration;
    }

    private static ServiceReference<?> awaitService(BundleContext context, String filter) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<?>[] found = context.getAllServiceReferences(AUTH_PROVIDER, filter);
            if (found != null) {
                return found[0];
            }
            Thread.sleep(50);
        }
        return fail("no " + AUTH_PROVIDER + " service " + filter + " within 20 s; components: " + components(context));
    }

    /** What SCR says about our components, for a failure message (reflection: SCR's DTO classes are the framework's). */
    private static String components(BundleContext context) {
        try {
            ServiceReference<?> reference =
                    context.getServiceReference("org.osgi.service.component.runtime.ServiceComponentRuntime");
            if (reference == null) {
                return "(no ServiceComponentRuntime)";
            }
            Object scr = context.getService(reference);
            Class<?> scrType =
                    reference.getBundle().loadClass("org.osgi.service.component.runtime.ServiceComponentRuntime");
            Class<?> descriptionType =
                    reference.getBundle().loadClass("org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            StringBuilder out = new StringBuilder();
            for (Object description :
                    (java.util.Collection<?>) scrType.getMethod("getComponentDescriptionDTOs", Bundle[].class)
                            .invoke(scr, (Object) new Bundle[0])) {
                String name = (String) descriptionType.getField("name").get(description);
                if (!name.startsWith("dev.wirehaven")) {
                    continue;
                }
                out.append(name).append(": ");
                for (Object configuration :
                        (java.util.Collection<?>) scrType.getMethod("getComponentConfigurationDTOs", descriptionType)
                                .invoke(scr, description)) {
                    Class<?> c = configuration.getClass();
                    out.append("state ").append(c.getField("state").get(configuration));
                    out.append(" failure ")
                            .append(c.getField("failure").get(configuration))
                            .append("; ");
                }
            }
            return out.toString();
        } catch (ReflectiveOperationException e) {
            return "(" + e + ")";
        }
    }

    /** A loopback port where nothing listens: the identity provider that does not answer. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
