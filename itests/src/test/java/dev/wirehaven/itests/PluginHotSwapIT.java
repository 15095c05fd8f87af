package dev.wirehaven.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.policy.PolicyEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Plugins come and go while the server runs: installing a plugin bundle binds its service (the
 * {@code wirehaven:plugins} command lists it), updating the bundle rebinds the new registration, and
 * uninstalling it unbinds it. One test per plugin kind, each with a plugin example as it ships in
 * the distribution's {@code plugins/examples/}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginHotSwapIT extends WirehavenContainerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] configuration() {
        return baseConfiguration("PluginHotSwapIT");
    }

    @Test
    public void anAuthProviderIsBoundReboundAndUnbound() throws Exception {
        hotSwap("wirehaven-example-auth-static-token", AuthProvider.class);
    }

    @Test
    public void aPolicyEngineIsBoundReboundAndUnbound() throws Exception {
        hotSwap("wirehaven-example-policy-port-allowlist", PolicyEngine.class);
    }

    @Test
    public void aMonitoringSinkIsBoundReboundAndUnbound() throws Exception {
        hotSwap("wirehaven-example-monitor-log", MonitoringSink.class);
    }

    private void hotSwap(String artifactId, Class<?> service) throws Exception {
        Path jar = Distribution.pluginExample(artifactId);
        Bundle plugin;
        try (InputStream in = Files.newInputStream(jar)) {
            plugin = context.installBundle("itest:" + artifactId, in);
        }
        try {
            // installed and started: its component registers the service and the server binds it
            plugin.start();
            long first = awaitRegistration(plugin, service);
            awaitListed(plugin, first);

            // updated in place (same jar, new revision): the bundle restarts, the service is
            // registered anew and the server binds the new registration
            try (InputStream in = Files.newInputStream(jar)) {
                plugin.update(in);
            }
            long second = awaitRegistration(plugin, service);
            assertNotEquals("the update must register the service anew", first, second);
            String afterUpdate = awaitListed(plugin, second);
            assertEquals(
                    "the old registration must be gone from the listing:\n" + afterUpdate,
                    1,
                    afterUpdate
                            .lines()
                            .filter(line -> line.contains(plugin.getSymbolicName()))
                            .count());

            // uninstalled: unbound, gone from the listing
            String name = plugin.getSymbolicName();
            plugin.uninstall();
            String afterUninstall = Eventually.await(
                    "wirehaven:plugins to stop listing " + name,
                    TIMEOUT,
                    this::plugins,
                    listing -> !listing.contains(name));
            assertTrue(afterUninstall, afterUninstall.contains(heading(service)));
        } finally {
            if (plugin.getState() != Bundle.UNINSTALLED) {
                plugin.uninstall();
            }
        }
    }

    /** The service id of the plugin's registration of {@code service}, once its bundle has registered one. */
    private long awaitRegistration(Bundle plugin, Class<?> service) {
        return Eventually.await(
                        plugin.getSymbolicName() + " to register a " + service.getSimpleName(),
                        TIMEOUT,
                        () -> registration(plugin, service),
                        Optional::isPresent)
                .get();
    }

    private static Optional<Long> registration(Bundle plugin, Class<?> service) {
        ServiceReference<?>[] registered = plugin.getRegisteredServices();
        if (registered == null) {
            return Optional.empty();
        }
        return Arrays.stream(registered)
                .filter(ref -> Arrays.asList((String[]) ref.getProperty(Constants.OBJECTCLASS))
                        .contains(service.getName()))
                .map(ref -> (Long) ref.getProperty(Constants.SERVICE_ID))
                .findFirst();
    }

    /** Waits until a row of {@code wirehaven:plugins} names the plugin's bundle with the given service id; returns the listing. */
    private String awaitListed(Bundle plugin, long serviceId) {
        String name = plugin.getSymbolicName();
        return Eventually.await(
                "wirehaven:plugins to list " + name + " with service id " + serviceId,
                TIMEOUT,
                this::plugins,
                listing -> listing.lines()
                        .anyMatch(line -> line.contains(name) && line.trim().endsWith(" " + serviceId)));
    }

    private String plugins() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute("wirehaven:plugins");
            out.flush();
            return printed.toString(StandardCharsets.UTF_8) + (result == null ? "" : result.toString());
        } finally {
            session.close();
        }
    }

    private static String heading(Class<?> service) {
        if (service == AuthProvider.class) {
            return "Auth providers";
        }
        if (service == PolicyEngine.class) {
            return "Policy engines";
        }
        return "Monitoring sinks";
    }
}
