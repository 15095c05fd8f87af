package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Addresses, subnets and keys belong to one owner: a static peer of the interface keeps its prefix
 * and key whatever a client asks for, and one user cannot hold more sessions than allowed.
 */
class OwnershipTest {

    private final FlowFixture fx;
    private final Key staticKey = Keys.publicFrom(Keys.generatePrivate());
    private final Key staticPsk = Keys.generatePreshared();

    OwnershipTest() throws Exception {
        fx = new FlowFixture(Map.of("routes.advertisable", "192.168.0.0/16", "user.sessions.max", "2"));
        fx.device.configure(tx -> {
            var p = tx.peer(staticKey, false);
            p.presharedKey(staticPsk);
            p.addAllowedIp(Cidr.parse("10.8.0.2/32"));
            p.addAllowedIp(Cidr.parse("192.168.50.0/24"));
        });
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aClientAskingForAStaticPeersAddressGetsAnotherAndTheStaticPeerKeepsIt() throws Exception {
        Key clientKey = Keys.publicFrom(Keys.generatePrivate());
        AuthChallenge challenge = fx.flow()
                .requestConnection(
                        new ConnectionRequest(clientKey.toBase64(), "10.8.0.2", "laptop"), FlowFixture.SOURCE);
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");

        fx.flow().clientConfig(grant.sessionId(), grant.token(), new ClientConfig(clientKey.toBase64(), List.of()));

        assertEquals(
                List.of(Cidr.parse("10.8.0.3/32")),
                fx.peer(clientKey).orElseThrow().allowedIps());
        assertEquals(
                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("192.168.50.0/24")),
                fx.peer(staticKey).orElseThrow().allowedIps());
    }

    @Test
    void noClientMayAdvertiseAStaticPeersSubnetNorAPartOfItNorANetworkAroundIt() throws Exception {
        for (String subnet : List.of("192.168.50.0/24", "192.168.50.128/25", "192.168.0.0/17")) {
            Session s = authenticated("alice", "correct horse");

            FlowException e = refused(
                    FlowFailure.FORBIDDEN,
                    () -> fx.flow().clientConfig(s.id(), s.token(), new ClientConfig(s.key(), List.of(subnet))));

            assertTrue(e.getMessage().contains("static peer"), e.getMessage());
            fx.flow().disconnect(s.id(), s.token());
        }
        assertEquals(
                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("192.168.50.0/24")),
                fx.peer(staticKey).orElseThrow().allowedIps());
        fx.sink.await(fx.sink.securityEvents, ev -> ev.type().equals(SecurityEvent.OWNERSHIP_CONFLICT));
    }

    @Test
    void aStaticPeersKeyInAnotherBase64SpellingIsRefusedAndItsPresharedKeyStays() throws Exception {
        String canonical = staticKey.toBase64();
        // the last digit carries 4 bits of the key and 2 unused ones, which lenient decoders ignore
        char last = canonical.charAt(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String spelled = canonical.substring(0, 42) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertNotEquals(canonical, spelled);
        AuthChallenge challenge =
                fx.flow().requestConnection(new ConnectionRequest(spelled, null, "laptop"), FlowFixture.SOURCE);
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        fx.flow().serverConfig(grant.sessionId(), grant.token(), fx.serverHost.getHostAddress());

        FlowException e = refused(
                FlowFailure.FORBIDDEN,
                () -> fx.flow().clientConfig(grant.sessionId(), grant.token(), new ClientConfig(spelled, List.of())));

        assertTrue(e.getMessage().contains("another peer"), e.getMessage());
        PeerSnapshot kept = fx.peer(staticKey).orElseThrow();
        assertEquals(staticPsk, kept.presharedKey());
        assertEquals(2, kept.allowedIps().size());
    }

    @Test
    void aUserCannotHoldMoreSessionsThanAllowedButReconnectingOneDeviceIsNotCounted() throws Exception {
        Key laptop = Keys.publicFrom(Keys.generatePrivate());
        login(laptop, "bob", "battery staple");
        login(Keys.publicFrom(Keys.generatePrivate()), "bob", "battery staple");

        login(laptop, "bob", "battery staple"); // the same device again replaces its session
        AuthChallenge third = fx.request(Keys.publicFrom(Keys.generatePrivate()), "phone");
        FlowException e =
                refused(FlowFailure.FORBIDDEN, () -> fx.authenticate(third.sessionId(), "bob", "battery staple"));

        assertTrue(e.getMessage().contains("2 sessions"), e.getMessage());
        fx.sink.await(fx.sink.securityEvents, ev -> ev.type().equals(SecurityEvent.SESSION_LIMIT));
        login(Keys.publicFrom(Keys.generatePrivate()), "alice", "correct horse"); // another user is not affected
    }

    private void login(Key key, String user, String password) throws FlowException {
        AuthChallenge challenge = fx.request(key, "laptop");
        fx.authenticate(challenge.sessionId(), user, password);
    }

    private Session authenticated(String user, String password) throws FlowException {
        String key = Keys.publicFrom(Keys.generatePrivate()).toBase64();
        AuthChallenge challenge = fx.request(Key.fromBase64(key), "branch");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), user, password);
        return new Session(grant.sessionId(), grant.token(), key);
    }

    private record Session(String id, String token, String key) {}
}
