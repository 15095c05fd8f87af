package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.PolicyEngine;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclComponentTest {

    @TempDir
    Path home;

    private final FakeFramework framework = new FakeFramework();

    private static AclConfig config(String file, long ttlSeconds) {
        return new AclConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AclConfig.class;
            }

            @Override
            public String file() {
                return file;
            }

            @Override
            public long decision_ttl_seconds() {
                return ttlSeconds;
            }

            @Override
            public long poll_interval_millis() {
                return 10_000; // the test polls by hand; the scheduler's first poll comes after the test
            }
        };
    }

    private Path writePolicy(String text) throws Exception {
        Path file = home.resolve("etc/policy.acl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        return file;
    }

    @Test
    void theEngineIsRegisteredWithItsNameAndVersionAndEachEditRaisesTheVersionProperty() throws Exception {
        Path file = writePolicy("rule ssh: allow group:ops -> 10.0.0.0/8 tcp/22\n");
        framework.frameworkProperties.put("wirehaven.home", home.toString());
        AclComponent component = new AclComponent(framework.context(), config("", 60), null);
        try {
            PolicyEngine engine = (PolicyEngine) framework.services.get(0);
            assertEquals(
                    Map.of(
                            PolicyEngine.NAME_PROPERTY,
                            "acl",
                            EngineService.VERSION_PROPERTY,
                            1L,
                            EngineService.FILE_PROPERTY,
                            file.toString()),
                    framework.propertyHistory.get(0));
            assertEquals(
                    1,
                    engine.rules(Identity.of("bob", "ops"), "s1")
                            .orElseThrow()
                            .rules()
                            .size());

            writePolicy("rule ssh: allow group:ops -> 10.0.0.0/8 tcp/22,443\n");
            assertEquals(PolicyWatcher.Outcome.SETTLING, component.poll());
            assertEquals(PolicyWatcher.Outcome.INSTALLED, component.poll());
            assertEquals(2L, framework.propertyHistory.get(1).get(EngineService.VERSION_PROPERTY));
            assertEquals(
                    2,
                    engine.rules(Identity.of("bob", "ops"), "s1")
                            .orElseThrow()
                            .rules()
                            .size());

            writePolicy("rule ssh: allow group:ops -> 10.0.0.0/8 tcp/22,443,\n");
            component.poll();
            assertEquals(PolicyWatcher.Outcome.REJECTED, component.poll());
            assertEquals(2, framework.propertyHistory.size(), "a rejected edit changes nothing the server sees");
        } finally {
            component.deactivate();
        }
        assertTrue(framework.unregistered);
    }

    @Test
    void aConfiguredRelativeFileIsInTheHome() throws Exception {
        framework.frameworkProperties.put("wirehaven.home", home.toString());
        AclComponent component = new AclComponent(framework.context(), config("etc/other.acl", 60), null);
        component.deactivate();
        assertEquals(
                home.resolve("etc/other.acl").toString(),
                framework.propertyHistory.get(0).get(EngineService.FILE_PROPERTY));
        assertEquals(0L, framework.propertyHistory.get(0).get(EngineService.VERSION_PROPERTY), "no file: version 0");
    }

    @Test
    void aBadValueStopsActivationNamingTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new AclComponent(framework.context(), config("", -1), null));
        assertTrue(e.getMessage().contains("dev.wirehaven.policy.acl: decision.ttl.seconds is -1"), e.getMessage());
        assertEquals(List.of(), framework.services);
    }
}
