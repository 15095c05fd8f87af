package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.realm.AuthRealm;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers and realms that decide a login. Asks the bound auth providers of one method, in
 * consultation order (highest ranking first), until one decides: a provider that is UNAVAILABLE,
 * throws or answers nothing hands over to the next. The first SUCCESS, FAILURE, NEEDS_ANOTHER_FACTOR
 * or PENDING is the answer. When all are unavailable and the user's realm names a fallback, the
 * fallback's providers are asked with the same credential.
 *
 * <p>Providers and realms are read on every call, so a plugin or a realm configuration that comes or
 * goes changes the chain at once. With no realm configured, every provider's method is a first
 * factor and only a provider asks for a second one (the behaviour before realms).
 */
final class AuthChain {

    private static final Logger LOG = LoggerFactory.getLogger(AuthChain.class);

    /** Which kind a client is asked for when a method's providers take several: the most interactive first. */
    private static final List<CredentialKind> PROMPT_ORDER = List.of(
            CredentialKind.PASSWORD,
            CredentialKind.ONE_TIME_CODE,
            CredentialKind.APPROVAL,
            CredentialKind.BEARER_TOKEN);

    private final Supplier<List<BoundPlugin<AuthProvider>>> providers;
    private final Supplier<List<AuthRealm>> realms;
    private final AuthResults results;

    AuthChain(Supplier<List<BoundPlugin<AuthProvider>>> providers) {
        this(providers, List::of);
    }

    AuthChain(Supplier<List<BoundPlugin<AuthProvider>>> providers, Supplier<List<AuthRealm>> realms) {
        this(providers, realms, new AuthResults());
    }

    AuthChain(
            Supplier<List<BoundPlugin<AuthProvider>>> providers,
            Supplier<List<AuthRealm>> realms,
            AuthResults results) {
        this.providers = providers;
        this.realms = realms;
        this.results = results;
    }

    /**
     * The first-factor methods offered now: without realms, the distinct methods of the bound
     * providers in consultation order, except those that take nothing but one-time codes (a code
     * names no user: it is a second factor, which only a realm or a provider attaches); with realms,
     * their primary methods in realm order, each while a provider of it or of the realm's fallback is
     * bound. No method is built in.
     */
    List<String> methods() {
        Set<String> methods = new LinkedHashSet<>();
        List<AuthRealm> configured = realms.get();
        if (configured.isEmpty()) {
            for (BoundPlugin<AuthProvider> p : providers.get()) {
                Set<CredentialKind> kinds = kindsOf(p);
                if (!kinds.isEmpty() && !kinds.equals(Set.of(CredentialKind.ONE_TIME_CODE))) {
                    methods.add(p.name());
                }
            }
            return List.copyOf(methods);
        }
        for (AuthRealm realm : configured) {
            boolean fallbackBound = realm.fallback().stream().anyMatch(this::bound);
            for (String m : realm.primary()) {
                if (bound(m) || fallbackBound) {
                    methods.add(m);
                }
            }
        }
        return List.copyOf(methods);
    }

    /** True when realms are configured: then a realm must serve each login. */
    boolean realmsConfigured() {
        return !realms.get().isEmpty();
    }

    /** The first realm that serves {@code user} with {@code method} as a primary method. */
    Optional<AuthRealm> realmFor(String user, String method) {
        for (AuthRealm realm : realms.get()) {
            if (realm.primary().contains(method) && realm.serves(user)) {
                return Optional.of(realm);
            }
        }
        return Optional.empty();
    }

    /** The realm of this name, if it is still configured. */
    Optional<AuthRealm> realm(String name) {
        return realms.get().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** True when at least one provider of {@code method} is bound now. */
    boolean bound(String method) {
        return !ofMethod(method).isEmpty();
    }

    /** What the client asks the person for each of {@code methods}, in that order. */
    List<MethodPrompt> prompts(List<String> methods) {
        List<MethodPrompt> prompts = new ArrayList<>();
        for (String method : methods) {
            promptOf(method).ifPresent(prompts::add);
        }
        return prompts;
    }

    private Optional<MethodPrompt> promptOf(String method) {
        List<BoundPlugin<AuthProvider>> bound = ofMethod(method);
        if (bound.isEmpty()) {
            // offered only through a fallback: ask for what the fallback takes
            for (AuthRealm realm : realms.get()) {
                if (realm.primary().contains(method)) {
                    for (String f : realm.fallback()) {
                        bound = ofMethod(f);
                        if (!bound.isEmpty()) {
                            break;
                        }
                    }
                }
                if (!bound.isEmpty()) {
                    break;
                }
            }
        }
        for (BoundPlugin<AuthProvider> p : bound) {
            Set<CredentialKind> kinds = kindsOf(p);
            for (CredentialKind kind : PROMPT_ORDER) {
                if (kinds.contains(kind)) {
                    return Optional.of(new MethodPrompt(method, kind, promptText(p, kind)));
                }
            }
        }
        return Optional.empty();
    }

    /** The credential kinds that the providers of {@code method} (or, when none is bound, its fallbacks) verify. */
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
            String provider = p.origin().bundleSymbolicName();
            try {
                result = p.service().authenticate(request);
            } catch (RuntimeException | LinkageError e) {
                results.record(provider, method, AuthResults.Outcome.ERROR);
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
                results.record(provider, method, AuthResults.Outcome.ERROR);
                LOG.warn("Auth provider {} answered nothing; treated as unavailable", p.describe());
                continue;
            }
            results.record(provider, method, AuthResults.Outcome.of(result.status()));
            if (result.status() == AuthStatus.UNAVAILABLE) {
                LOG.warn("Auth provider {} is unavailable: {}", p.describe(), result.reason());
                continue;
            }
            return result;
        }
        return AuthResult.unavailable("no provider of method " + method + " could decide");
    }

    /**
     * A decision, and the fallback method that gave it when the primary's providers could not.
     *
     * @param fallbackMethod null when the method itself decided
     */
    record Verified(AuthResult result, String fallbackMethod) {}

    /**
     * {@link #verify} for {@code method}, then, while the answer is UNAVAILABLE, the realm's fallback
     * methods in order (those whose providers take the same kind of credential).
     */
    Verified verifyWithFallback(AuthRealm realm, String method, AuthRequest request) {
        AuthResult result = verify(method, request);
        if (result.status() != AuthStatus.UNAVAILABLE || realm == null) {
            return new Verified(result, null);
        }
        for (String fallback : realm.fallback()) {
            if (fallback.equals(method)
                    || !kinds(fallback).contains(request.credential().kind())) {
                continue;
            }
            AuthResult answer = verify(fallback, request);
            if (answer.status() != AuthStatus.UNAVAILABLE) {
                return new Verified(answer, fallback);
            }
        }
        return new Verified(result, null);
    }

    /** True when a provider of {@code method} says {@code identity} has set it up (any of them). */
    boolean enrolled(String method, Identity identity) {
        for (BoundPlugin<AuthProvider> p : ofMethod(method)) {
            try {
                if (p.service().enrolled(identity)) {
                    return true;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn(
                        "Auth provider {} cannot say whether {} is enrolled ({}); counted as enrolled, so that the"
                                + " factor is asked rather than skipped",
                        p.describe(),
                        identity.user(),
                        e.getClass().getName());
                return true;
            }
        }
        return false;
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

    private static String promptText(BoundPlugin<AuthProvider> p, CredentialKind kind) {
        try {
            String text = p.service().prompt(kind);
            // shown on the client's terminal: one plain line, or the standard wording
            if (text == null
                    || text.isBlank()
                    || text.length() > 128
                    || !text.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c))) {
                return kind.standardPrompt();
            }
            return text;
        } catch (RuntimeException | LinkageError e) {
            return kind.standardPrompt();
        }
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
