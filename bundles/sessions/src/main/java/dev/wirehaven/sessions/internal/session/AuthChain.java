package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the bound auth providers of one method, in consultation order (highest ranking first), until
 * one decides: a provider that is UNAVAILABLE, throws or answers nothing hands over to the next, so
 * that a fallback directory is just a provider of lower ranking. The first SUCCESS, FAILURE or
 * NEEDS_ANOTHER_FACTOR is the answer. Providers are read from the registry on every call, so a plugin
 * that comes or goes changes the chain at once.
 */
final class AuthChain {

    private static final Logger LOG = LoggerFactory.getLogger(AuthChain.class);

    private final Supplier<List<BoundPlugin<AuthProvider>>> providers;

    AuthChain(Supplier<List<BoundPlugin<AuthProvider>>> providers) {
        this.providers = providers;
    }

    /**
     * The distinct methods of the bound providers in consultation order (ranking). No method is built
     * in: local users' {@code password} is a plugin like any other, and leaves the challenge when its
     * bundle stops.
     */
    List<String> methods() {
        Set<String> methods = new LinkedHashSet<>();
        providers.get().forEach(p -> methods.add(p.name()));
        return List.copyOf(methods);
    }

    /** The credential kinds that the providers of {@code method} verify. */
    Set<CredentialKind> kinds(String method) {
        Set<CredentialKind> kinds = EnumSet.noneOf(CredentialKind.class);
        for (BoundPlugin<AuthProvider> p : ofMethod(method)) {
            kinds.addAll(kindsOf(p));
        }
        return kinds;
    }

    /**
     * Asks the providers of {@code method} that take the request's kind of credential.
     *
     * @return the first decision, or UNAVAILABLE when no provider could decide
     */
    AuthResult verify(String method, AuthRequest request) {
        for (BoundPlugin<AuthProvider> p : ofMethod(method)) {
            if (!kindsOf(p).contains(request.credential().kind())) {
                continue;
            }
            AuthResult result;
            try {
                result = p.service().authenticate(request);
            } catch (RuntimeException | LinkageError e) {
                // the exception's message may quote the credential (a provider's bug): log where, not what
                StackTraceElement[] at = e.getStackTrace();
                LOG.warn(
                        "Auth provider {} threw {} at {}; treated as unavailable",
                        p.describe(),
                        e.getClass().getName(),
                        at.length == 0 ? "(no stack trace)" : at[0]);
                continue;
            }
            if (result == null) {
                LOG.warn("Auth provider {} answered nothing; treated as unavailable", p.describe());
                continue;
            }
            if (result.status() == AuthStatus.UNAVAILABLE) {
                LOG.warn("Auth provider {} is unavailable: {}", p.describe(), result.reason());
                continue;
            }
            return result;
        }
        return AuthResult.unavailable("no provider of method " + method + " could decide");
    }

    private List<BoundPlugin<AuthProvider>> ofMethod(String method) {
        List<BoundPlugin<AuthProvider>> list = new ArrayList<>();
        for (BoundPlugin<AuthProvider> p : providers.get()) {
            if (p.name().equals(method)) {
                list.add(p);
            }
        }
        return list;
    }

    private static Set<CredentialKind> kindsOf(BoundPlugin<AuthProvider> p) {
        try {
            Set<CredentialKind> kinds = p.service().credentialKinds();
            return kinds == null ? Set.of() : kinds;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Auth provider {} cannot say which credentials it takes ({}); it is skipped",
                    p.describe(),
                    e.getClass().getName());
            return Set.of();
        }
    }
}
