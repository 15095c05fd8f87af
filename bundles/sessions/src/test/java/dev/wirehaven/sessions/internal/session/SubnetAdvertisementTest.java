package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.SubnetAdvertisement;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.plugins.PluginKind;
import dev.wirehaven.sessions.internal.plugins.PluginOrigin;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Site-to-site: which subnets a client may route to itself (the seed's branch office use case). */
class SubnetAdvertisementTest {

    private final FlowFixture fx;

    SubnetAdvertisementTest() throws Exception {
        fx = new FlowFixture(Map.of("routes.advertisable", "192.168.0.0/16"));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aSubnetInsideTheAdvertisableOnesIsRoutedToTheClientWhenNoEngineHasARule() throws Exception {
        Session s = authenticated();

        fx.flow().clientConfig(s.id(), s.token(), new ClientConfig(s.publicKey(), List.of("192.168.10.0/24")));

        assertEquals(
                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("192.168.10.0/24")),
                fx.peer(Key.fromBase64(s.publicKey())).orElseThrow().allowedIps());
        assertEquals(List.of("192.168.10.0/24"), fx.stored(s.id()).advertisedSubnets());
    }

    @Test
    void aSubnetOutsideTheAdvertisableOnesIsForbiddenWithoutAnAllow() throws Exception {
        Session s = authenticated();

        FlowException e = refused(
                FlowFailure.FORBIDDEN,
                () -> fx.flow()
                        .clientConfig(s.id(), s.token(), new ClientConfig(s.publicKey(), List.of("172.16.0.0/24"))));

        assertTrue(e.getMessage().contains("172.16.0.0/24"), e.getMessage());
        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(s.id()).phase());
        assertTrue(fx.device.snapshot().peers().isEmpty());
    }

    @Test
    void anEngineThatAllowsAdmitsASubnetOutsideTheAdvertisableOnes() throws Exception {
        fx.engines.add(engine(
                "branches",
                r -> r instanceof SubnetAdvertisement a && a.identity().user().equals("alice")
                        ? Decision.allow("alice runs the branch office", Duration.ZERO)
                        : Decision.notApplicable()));
        Session s = authenticated();

        fx.flow().clientConfig(s.id(), s.token(), new ClientConfig(s.publicKey(), List.of("172.16.0.0/24")));

        assertEquals(SessionPhase.CONFIGURED, fx.stored(s.id()).phase());
    }

    @Test
    void aPolicyChangeWithdrawsASubnetThatThePolicyNoLongerAdmitsWhileTheTunnelStays() throws Exception {
        BoundPlugin<PolicyEngine> branches = engine(
                "branches",
                r -> r instanceof SubnetAdvertisement a && a.identity().user().equals("alice")
                        ? Decision.allow("alice runs the branch office", Duration.ZERO)
                        : Decision.notApplicable());
        fx.engines.add(branches);
        Session s = authenticated();
        fx.flow()
                .clientConfig(
                        s.id(),
                        s.token(),
                        new ClientConfig(s.publicKey(), List.of("172.16.0.0/24", "192.168.10.0/24")));

        fx.engines.remove(branches); // the engine that admitted 172.16.0.0/24 goes away

        fx.runtime.enforceNow(); // what the enforcement timer does every 250 ms
        assertEquals(List.of("192.168.10.0/24"), fx.stored(s.id()).advertisedSubnets());
        assertEquals(
                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("192.168.10.0/24")),
                fx.peer(Key.fromBase64(s.publicKey())).orElseThrow().allowedIps());
        assertEquals(SessionPhase.CONFIGURED, fx.stored(s.id()).phase());
    }

    @Test
    void aDenyFromAnyEngineRefusesTheSubnetAndNamesIt() throws Exception {
        fx.engines.add(engine("allow-all", r -> Decision.allow("open", Duration.ZERO)));
        fx.engines.add(engine("no-labs", r -> Decision.deny("the lab network stays local", Duration.ZERO)));
        Session s = authenticated();

        FlowException e = refused(
                FlowFailure.FORBIDDEN,
                () -> fx.flow()
                        .clientConfig(s.id(), s.token(), new ClientConfig(s.publicKey(), List.of("192.168.10.0/24"))));

        assertTrue(e.getMessage().contains("192.168.10.0/24"), e.getMessage());
        assertTrue(e.getMessage().contains("the lab network stays local (policy no-labs)"), e.getMessage());
    }

    @Test
    void aSubnetThatOverlapsTheTunnelOrAnotherSiteIsForbidden() throws Exception {
        Session first = authenticated();
        fx.flow()
                .clientConfig(
                        first.id(), first.token(), new ClientConfig(first.publicKey(), List.of("192.168.10.0/24")));
        Session second = authenticated();

        refused(
                FlowFailure.FORBIDDEN,
                () -> fx.flow()
                        .clientConfig(
                                second.id(),
                                second.token(),
                                new ClientConfig(second.publicKey(), List.of("10.8.0.7/32"))));
        FlowException e = refused(
                FlowFailure.FORBIDDEN,
                () -> fx.flow()
                        .clientConfig(
                                second.id(),
                                second.token(),
                                new ClientConfig(second.publicKey(), List.of("192.168.10.128/25"))));
        assertTrue(e.getMessage().contains("another session"), e.getMessage());
    }

    @Test
    void anEntryThatIsNotAPrefixIsAnInvalidRequestNamingIt() throws Exception {
        Session s = authenticated();

        FlowException e = refused(
                FlowFailure.INVALID_REQUEST,
                () -> fx.flow()
                        .clientConfig(s.id(), s.token(), new ClientConfig(s.publicKey(), List.of("branch.example"))));

        assertTrue(e.getMessage().contains("branch.example"), e.getMessage());
    }

    private Session authenticated() throws FlowException {
        String key = Keys.publicFrom(Keys.generatePrivate()).toBase64();
        AuthChallenge challenge = fx.request(Key.fromBase64(key), "branch");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        return new Session(grant.sessionId(), grant.token(), key);
    }

    private static BoundPlugin<PolicyEngine> engine(
            String name, java.util.function.Function<AccessRequest, Decision> rule) {
        PolicyEngine engine = new PolicyEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision decide(AccessRequest request) {
                return rule.apply(request);
            }
        };
        return new BoundPlugin<>(
                PluginKind.POLICY_ENGINE,
                name,
                new PluginOrigin(name.hashCode(), "test.policy", "1.0.0", 0, Map.of()),
                engine);
    }

    private record Session(String id, String token, String publicKey) {}
}
