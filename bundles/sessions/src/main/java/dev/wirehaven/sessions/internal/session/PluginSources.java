package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.plugins.PluginRegistry;
import dev.wirehaven.sessions.internal.realm.AuthRealm;
import dev.wirehaven.sessions.internal.realm.RealmRegistry;
import dev.wirehaven.sessions.internal.response.DisabledUsers;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where the flow finds the plugins it consults, read anew on every use so that a plugin that comes
 * or goes takes effect at once. In the server this is the {@link PluginRegistry}; tests hand in lists.
 *
 * @param authProviders the auth providers in consultation order
 * @param policyEngines the policy engines in consultation order
 * @param realms the auth realms in matching order (empty: every provider's method is a first factor)
 * @param disabledUsers true for a user whom a security response disabled: the login is refused
 */
record PluginSources(
        Supplier<List<BoundPlugin<AuthProvider>>> authProviders,
        Supplier<List<BoundPlugin<PolicyEngine>>> policyEngines,
        Supplier<List<AuthRealm>> realms,
        Predicate<String> disabledUsers) {

    /** Without security responses: nobody is disabled. */
    PluginSources(
            Supplier<List<BoundPlugin<AuthProvider>>> authProviders,
            Supplier<List<BoundPlugin<PolicyEngine>>> policyEngines,
            Supplier<List<AuthRealm>> realms) {
        this(authProviders, policyEngines, realms, user -> false);
    }

    /** Without realms. */
    PluginSources(
            Supplier<List<BoundPlugin<AuthProvider>>> authProviders,
            Supplier<List<BoundPlugin<PolicyEngine>>> policyEngines) {
        this(authProviders, policyEngines, List::of);
    }

    static PluginSources of(PluginRegistry registry, RealmRegistry realms, DisabledUsers disabled) {
        return new PluginSources(
                registry::authProviders, registry::policyEngines, realms::inOrder, disabled::isDisabled);
    }
}
