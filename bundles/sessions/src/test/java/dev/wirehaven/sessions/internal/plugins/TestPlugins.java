package dev.wirehaven.sessions.internal.plugins;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Small real implementations of the SPIs and origins, as a plugin bundle would register them. */
final class TestPlugins {

    private TestPlugins() {}

    static AuthProvider authProvider(String method) {
        return new AuthProvider() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public Set<CredentialKind> credentialKinds() {
                return Set.of(CredentialKind.BEARER_TOKEN);
            }

            @Override
            public AuthResult authenticate(AuthRequest request) {
                return AuthResult.failure();
            }
        };
    }

    static PolicyEngine policyEngine(String name) {
        return new PolicyEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision decide(AccessRequest request) {
                return Decision.notApplicable();
            }
        };
    }

    static MonitoringSink sink(String name) {
        return () -> name;
    }

    static PluginOrigin origin(long serviceId, String bsn, int ranking) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.id", serviceId);
        props.put("service.ranking", ranking);
        return new PluginOrigin(serviceId, bsn, "1.2.3", ranking, props);
    }
}
