package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.wireguard.Keys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AddressTest {

    private final FlowFixture fx;

    AddressTest() throws Exception {
        fx = new FlowFixture(Map.of("subnet.v6", "fd00:8::/64"));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aSecondUserGetsAnotherAddressInEachFamily() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        FlowFixture.Client bob = fx.configured("bob", "battery staple", "laptop");

        assertEquals(List.of("10.8.0.2/32", "fd00:8::2/128"), alice.server().addresses());
        assertEquals(List.of("10.8.0.3/32", "fd00:8::3/128"), bob.server().addresses());
        assertEquals(List.of("10.8.0.0/24", "fd00:8::/64"), bob.server().subnets());
        assertEquals(2, fx.device.snapshot().peers().size());
    }

    @Test
    void theSameUsersDeviceGetsItsAddressBackAfterADisconnect() throws Exception {
        FlowFixture.Client first = fx.configured("alice", "correct horse", "laptop");
        fx.configured("bob", "battery staple", "laptop");
        fx.flow().disconnect(first.sessionId(), first.token());

        FlowFixture.Client again = fx.configured("alice", "correct horse", "laptop");

        assertEquals(first.server().addresses(), again.server().addresses());
    }

    @Test
    void twoDevicesOfOneUserWithTheSameNameNeverShareAnAddress() throws Exception {
        FlowFixture.Client one = fx.configured("alice", "correct horse", "");
        FlowFixture.Client two = fx.configured("alice", "correct horse", "");

        assertNotEquals(one.server().addresses(), two.server().addresses());
    }

    @Test
    void aRequestedAddressIsGrantedWhenItIsFree() throws Exception {
        AuthChallenge challenge = fx.flow()
                .requestConnection(
                        new ConnectionRequest(
                                Keys.publicFrom(Keys.generatePrivate()).toBase64(), "10.8.0.77", "phone"),
                        FlowFixture.SOURCE);
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");

        ServerConfig server = fx.flow().serverConfig(grant.sessionId(), grant.token(), "vpn.example.com");

        assertEquals("10.8.0.77/32", server.addresses().get(0));
    }
}
